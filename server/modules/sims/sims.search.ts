/**
 * How a search of My SIMs is counted and how its page is found (sims.page.ts builds the statements):
 * how far a page counts (decision 024), which terms the trigram index serves, and whether a page is
 * walked in its sort order or fenced from all the matches.
 */

/**
 * A search's page counts its matches only this far (decision 024): past it the page says "more than
 * N" (`totalExact: false`), and `GET /sims/count` counts them all on request. Counting 100,000–1,000,000
 * substring matches exactly cost 150–400 ms over 1,000,000 SIMs; counting the first 1,001 of a broad
 * term costs 0.4–5 ms.
 */
export const COUNT_LIMIT = 1_000;

/**
 * How far a page counts its search's matches: to `COUNT_LIMIT`, or on a deep page to the end of the
 * next page, so that "more than" it always leaves a next page, counted in whole pages as clients do.
 */
export function countLimit(offset: number, pageSize: number, limit = COUNT_LIMIT): number {
  return Math.max(limit, offset + 2 * pageSize);
}

/**
 * A search term the trigram index can serve: pg_trgm takes its trigrams from runs of letters and
 * digits, and a LIKE pattern with none (`12`, `zz`, `e-`) makes PostgreSQL read the *whole* GIN
 * index and recheck every row: 1.1 s for `zz` over 1,000,000 SIMs, against 0.2 s for a sequential
 * scan. Such terms are matched with `strpos`, which no index serves, so the planner scans.
 */
export function trigramTerm(term: string): boolean {
  return /[\p{L}\p{N}]{3,}/u.test(term);
}

/**
 * How a search's page is fetched, chosen by its count (`searchWalk`). PostgreSQL alone takes LIMIT
 * 100 as a cue to walk the sort column's index and filter as it goes, which pays off only when the
 * matches are dense and spread evenly through that order. Over 1,000,000 SIMs it walked every row for
 * `zz`, which matches none (3 s), and for `pump` sorted by label it walked every label before `Pump`
 * (1.5–2.3 s): labels come in runs, and a fleet's are often given by ICCID range too.
 *
 * - *fenced*, for at most `FENCE_MATCHES` matches: every match collected by the best plan for the
 *   filter alone (the trigram index, or a scan), then sorted. Its cost follows the matches: 1,100
 *   took 8 ms, 11,000 30–50 ms, 100,000 0.4–0.6 s.
 * - *walk*, for more: the first rows of the unsearched filter in the page's order, as many as should
 *   hold the page's matches four times over at the search's density (count ÷ the filter's size),
 *   are read through the sort column's index and searched. If they held fewer matches than the page
 *   needs (the matches bunch elsewhere in that order), the fenced page is fetched instead; a walk
 *   longer than `WALK_ROWS` is not tried.
 * - *key walk*: a walk in label order for a term without digits, which can only match the label,
 *   and no filter but the status. It matches the label's sort key instead of `search_text` (the key
 *   is the label in lower case with its digit runs padded, so a term without digits is in the one
 *   exactly when it is in the other), read from `sim_label_keys`, whose indexes hold the key and the
 *   status: the walk reads an index alone, about ten times faster a row than through `sims` (~125 ns),
 *   and may go up to `KEY_WALK_ROWS`. That is what sorting a label word by label needs: its matches
 *   are one run of the label order, wherever that run starts ("gateway" over 1,000,000 SIMs: 300,000
 *   labels before it, 45 ms; the fence sorted its 100,000 matches in 180–250 ms).
 */
export const FENCE_MATCHES = 20_000;
export const WALK_ROWS = 50_000;
export const KEY_WALK_ROWS = 1_000_000;

/**
 * The walk's length for a page, or null to go straight to the fenced page. A counted-off total
 * (`exact` false) says only that the matches are at least so dense: the walk then may go as far as
 * `longest`. That costs nothing while the matches are where the walk looks, since it stops at the
 * page's last match; when they bunch further on, it is what finds them (a label word sorted by label).
 */
export function searchWalk(
  total: number,
  filtered: number,
  offset: number,
  pageSize: number,
  exact = true,
  longest = WALK_ROWS,
): number | null {
  // a walk shorter than the page's end cannot hold it
  if (!exact) return offset + pageSize <= longest ? longest : null;
  if (total <= FENCE_MATCHES) return null;
  const rows = Math.ceil((4 * (offset + pageSize) * filtered) / total) + 1000;
  return rows > longest ? null : rows;
}

/**
 * A search walked by the label's sort key (see `KEY_WALK_ROWS`): sorted by label, a term without
 * digits, filtered by nothing `sim_label_keys` does not hold (`set`: the filters, status first).
 */
export function keyWalked(term: string, sort: string, set: boolean[]): boolean {
  return /^-?label$/.test(sort) && !/[0-9]/.test(term) && !set.slice(1).some(Boolean);
}
