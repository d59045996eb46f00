/**
 * One page of an organisation's SIMs with its total, in one round trip and without Drizzle: the
 * hottest read of the API (bearer `GET /sims`, issue 6; decision 015). The SQL text depends only on
 * the query's *shape* — which filters are set and the sort — so it is built once per shape and, on
 * PostgreSQL, prepared once per connection; the filter values are parameters.
 *
 * The database also writes the page's JSON: each row by concatenation (`rowJson`), the rows joined
 * in page order into one text. Decoding 1,800 values a page into objects and stringifying them again cost
 * the single Node thread more than the rest of the request together. Only the Luhn digit of
 * `iccidWithLuhn` is left to Node (`addLuhnDigits`): SQL would spend more on it than Node does.
 *
 * The unfiltered list runs on a *generic* plan (`generic` below): planning this query against the
 * many indexes of `sims` costs PostgreSQL more than executing it, and with `LIMIT $n` it would
 * otherwise be planned afresh on every call.
 *
 * The filter means the same as `filterWhere` in sims.repository.ts (bulk actions and exports); the
 * test `sims.page.test.ts` holds the two together and compares the bytes with JSON.stringify's.
 */
import { luhnDigit } from '../../../contracts/ids.js';
import type { SimFilter } from '../../../contracts/sims.js';
import type { Database, RawStatement } from '../../db/client.js';
import {
  COUNT_LIMIT,
  countLimit,
  FENCE_MATCHES,
  KEY_WALK_ROWS,
  keyWalked,
  searchWalk,
  trigramTerm,
  WALK_ROWS,
} from './sims.search.js';

type PageQuery = SimFilter & { sort: string; page: number; pageSize: number };

/** Where `iccidWithLuhn` waits for its check digit in the database's JSON. */
const luhnMarker = ',"iccidWithLuhn":"';

/**
 * Sort keys of the contract → SQL; the same expressions as the indexes of `sims`, except data left,
 * which is sorted from `sim_data_left` (decision 013: accounting updates stay HOT; decision 022: usage
 * reaches it within about 45 s).
 */
const sortExpressions: Record<string, string> = {
  iccid: 's.iccid',
  imsi: 's.imsi',
  msisdn: 's.msisdn',
  status: 's.status',
  session: 's.session_state',
  label: 's.label_key',
  imei: 's.imei',
  ip: 's.ip_address',
  dataLeft: 'd.data_left',
  smsLeft: '(s.sms_total - s.sms_used)',
  endOfLife: 's.end_of_life',
  imeiLock: 's.imei_lock',
  autoTopUp: 's.auto_top_up',
};

/**
 * A list row (`SimSummary`) as JSON, keys in the contract's order, written by one `concat` call:
 * cheaper for PostgreSQL than row_to_json (which looks up every column's type on every row; measured
 * with pgbench: 2.5× the cost of `||`), and a quarter cheaper than a chain of `||` (one call and one
 * allocation instead of thirty; measured with EXPLAIN ANALYZE over a page of 100: 0.41 → 0.31 ms).
 * `concat` skips NULLs and writes booleans as `t`/`f`, so every nullable column is coalesced and
 * booleans are cast to text (`true`/`false`). The label, text that can hold anything, goes through
 * to_json's escaping; the identifiers need none: IMSI, MSISDN and IMEI are digits by the table's
 * CHECK constraints (migration 0022; to_json on them cost ~10 % of the page), and the ICCID is
 * digits on every input path, with addLuhnDigits failing loudly on anything else. Status and session are the
 * application's enum values, volume groups the generated columns' literals, the IP address inet's
 * own output (`abbrev`: no /32), the end of life millisecond ISO 8601 in UTC exactly as
 * Date#toISOString writes it (both truncate microseconds). Status is as stored: the filter never
 * lets a stock SIM through. `iccidWithLuhn` still lacks its digit (see addLuhnDigits).
 */
const rowJson = `concat('{"iccid":"', s.iccid, '"${luhnMarker}', s.iccid,
  '","imsi":"', s.imsi, '","msisdn":"', s.msisdn,
  '","status":"', s.status, '","session":"', s.session_state,
  '","label":', coalesce(to_json(s.label)::text, 'null'),
  ',"imei":', coalesce('"' || s.imei || '"', 'null'),
  ',"imeiLock":', s.imei_lock::text,
  ',"ipAddress":', coalesce('"' || abbrev(s.ip_address) || '"', 'null'),
  ',"dataTotal":', s.data_total, ',"dataUsed":', s.data_used,
  ',"dataVolume":"', coalesce(s.data_group, 'none'),
  '","smsTotal":', s.sms_total, ',"smsUsed":', s.sms_used,
  ',"smsVolume":"', coalesce(s.sms_group, 'none'),
  '","endOfLife":', coalesce('"' || to_char(s.end_of_life AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') || '"', 'null'),
  ',"autoTopUp":', s.auto_top_up::text, '}')`;

/** Sort keys whose column may be empty (NULL): sorted last whichever the direction. */
const mayBeEmpty = new Set(['label', 'imei', 'ip', 'endOfLife']);

/** The set filters, in parameter order: (sims column, sim_counts column, query field). */
const filters = [
  ['status', 'status', 'status'],
  ['session_state', 'session_state', 'session'],
  ['data_group', 'data_group', 'dataVolume'],
  ['sms_group', 'sms_group', 'smsVolume'],
] as const;

const shapes = new Map<string, Shape>();

/** Escape LIKE wildcards in user input. */
function likeEscape(s: string): string {
  return s.replace(/[%_\\]/g, '\\$&');
}

interface SearchStatements {
  /**
   * The search's total and the size of its filter without the search; run first, to pick the page's plan.
   * For a term no index serves (`countPages`) it also returns, third, the fenced page when the total is
   * at most `FENCE_MATCHES`: the scan that counted the matches keeps them, and the page is not a second
   * scan of every SIM (two-character terms over 100,000 SIMs on PGlite: 106 → 55 ms).
   */
  count: RawStatement;
  /** `count` takes the page's LIMIT and OFFSET and returns the fenced page of a small total. */
  countPages: boolean;
  /** A page by a bounded walk in the page's order; its first column is the page's number of rows. */
  walk: RawStatement;
  /** How far `walk` may go: `WALK_ROWS`, or `KEY_WALK_ROWS` for a key walk. */
  walkRows: number;
  /** A page from all the matches, sorted. */
  fenced: RawStatement;
}

interface Shape {
  /** Unsearched lists: the page and its total (from `sim_counts`) in one statement. */
  list?: RawStatement;
  search?: SearchStatements;
  /** The exact total alone (`GET /sims/count`): from `sim_counts`, or every match of a search counted. */
  total: RawStatement;
}

function buildShape(set: boolean[], search: 'trigram' | 'scan' | null, sort: string, keyed: boolean): Shape {
  const simsWhere = ['s.org_id = $1'];
  const countsWhere = ['org_id = $1'];
  let n = 1;
  filters.forEach(([column, countsColumn], i) => {
    if (set[i]) {
      n++;
      simsWhere.push(`s.${column} = ANY($${n}::text[])`);
      countsWhere.push(`${countsColumn} = ANY($${n}::text[])`);
    } else if (column === 'status') {
      // customers never see stock SIMs
      simsWhere.push(`s.status <> 'stock'`);
      countsWhere.push(`status <> 'stock'`);
    }
  });
  // the search term is the last value: matched by the trigram index's LIKE, or by strpos
  if (search) n++;
  const match = (alias: string) =>
    search === 'trigram' ? `${alias}.search_text LIKE $${n}` : `strpos(${alias}.search_text, $${n}) > 0`;
  const descending = sort.startsWith('-');
  const sortKey = sort.replace(/^-/, '');
  const expression = sortExpressions[sortKey] ?? 's.iccid';
  // Empty values (no label, no IMEI yet, …) come last in either direction. ASC NULLS LAST and DESC
  // NULLS FIRST are a forward and a backward scan of the same index; a column that may be empty has a
  // second index for DESC NULLS LAST (`sims_org_*_desc_idx`), read forwards.
  const emptyLast = descending && mayBeEmpty.has(sortKey);
  const direction = descending ? (emptyLast ? 'DESC NULLS LAST' : 'DESC NULLS FIRST') : 'ASC NULLS LAST';
  const tieBreak = descending ? 'iccid DESC' : 'iccid ASC';
  const byKey = expression === 's.iccid' ? '' : `${expression} ${direction}, `;
  const dataLeft = sortKey === 'dataLeft';
  /*
   * Generic plan: only the unfiltered list, in any order but data left, whose plan is the same for
   * every organisation — a walk of the organisation's index of the sort column, (org_id, column,
   * iccid). A generic plan does not know which organisation, so it must not be able to pick a global
   * index instead (the primary key walked in ICCID order, filtering on org_id: fine for the biggest
   * organisation, a walk of the whole table for a small one). `org_id = ANY(ARRAY[$1])` is not an
   * equality the planner folds into a constant, so the order (org_id, column, iccid) stays
   * significant, and only the organisation's indexes give it. Filters and text searches are
   * selective in ways only the values tell; they keep custom plans. sims.page.test.ts checks the plans.
   */
  const generic = !search && !set.some(Boolean) && !dataLeft;
  if (generic) simsWhere[0] = 's.org_id = ANY(ARRAY[$1::uuid])';
  // the count reads sims alone: every SIM has its one row of sim_data_left (kept by trigger and refresh)
  const counted = `${simsWhere.join(' AND ')} AND ${match('s')}`;
  if (dataLeft) simsWhere.push('d.org_id = $1');
  const orderBy = generic
    ? `s.org_id ${emptyLast ? 'ASC' : direction}, ${byKey}s.${tieBreak}`
    : `${byKey}${dataLeft ? 'd' : 's'}.${tieBreak}`;
  const from = dataLeft ? 'sims s JOIN sim_data_left d ON d.iccid = s.iccid' : 'sims s';
  const where = simsWhere.join(' AND ');
  // the page's rows, then joined in the same order (string_agg over no rows gives NULL: an empty page)
  const pageJson = `'[' || coalesce(string_agg(p.j, ',' ORDER BY p.k ${direction}, p.${tieBreak}), '') || ']'`;
  const pageOf = (rows: string, first: string) => `SELECT ${first}, ${pageJson} FROM (${rows}) p`;
  const limit = `LIMIT $${n + 1} OFFSET $${n + 2}`;
  const name = `sims_page_${shapes.size}`;
  const counts = `(SELECT coalesce(sum(n), 0)::int8 FROM sim_counts WHERE ${countsWhere.join(' AND ')})::text`;
  const total = {
    name: `${name}_total`,
    text: `SELECT ${search ? `count(*)::text FROM sims s WHERE ${counted}` : counts}`,
    values: [],
    generic: false,
  };
  if (!search) {
    // the trigger-kept sim_counts (≤ 144 rows) answer the total
    const rows = `SELECT s.iccid, ${expression} AS k, ${rowJson} AS j FROM ${from} WHERE ${where} ORDER BY ${orderBy} ${limit}`;
    return { list: { name, text: pageOf(rows, counts), values: [], generic }, total };
  }
  // Both pages choose their rows by (iccid, sort key) alone, and read sims again only for the page's
  // rows' JSON. The fenced one's OFFSET 0 keeps the ORDER BY and LIMIT out of its subquery, so that
  // is planned for the filter alone.
  const pageRows = (chosen: string, search: string) => `SELECT s.iccid, f.k, ${rowJson} AS j
    FROM (SELECT m.iccid, m.k FROM (${chosen}) m ${search}
          ORDER BY m.k ${direction}, m.${tieBreak} ${limit}) f
    JOIN sims s ON s.iccid = f.iccid AND s.org_id = $1`;
  // a key walk reads sim_label_keys, whose indexes hold all it asks; the others sims, table and all
  const walked = keyed
    ? `SELECT s.iccid, s.label_key AS k FROM sim_label_keys s WHERE ${where}
    ORDER BY ${orderBy} LIMIT $${n + 3}`
    : `SELECT s.iccid, ${expression} AS k, s.search_text FROM ${from} WHERE ${where}
    ORDER BY ${orderBy} LIMIT $${n + 3}`;
  const walkMatch = keyed
    ? search === 'trigram'
      ? `WHERE m.k LIKE $${n}`
      : `WHERE strpos(m.k, $${n}) > 0`
    : `WHERE ${match('m')}`;
  const fenced = `SELECT s.iccid, ${expression} AS k, s.search_text FROM ${from} WHERE ${where} AND ${match('s')} OFFSET 0`;
  const statement = (suffix: string, text: string) => ({
    name: `${name}${suffix}`,
    text,
    values: [],
    generic,
  });
  // The count stops at its limit, the last value ($n+1, or $n+3 after a scanned term's paging): one
  // more than the page counts to, so that reaching it means "more than".
  // The matches of a scanned term, kept once (MATERIALIZED) for both the count and a small page
  // (counted from sims alone, as the other counts; data left only joined for the sort key); the page
  // only when they are all there.
  const scanFrom = dataLeft ? 'sims s LEFT JOIN sim_data_left d ON d.iccid = s.iccid' : 'sims s';
  const scanned = `WITH m AS MATERIALIZED (SELECT s.iccid, ${expression} AS k FROM ${scanFrom} WHERE ${counted} LIMIT $${n + 3}),
    c AS (SELECT count(*) AS n FROM m)
    SELECT c.n::text, ${counts},
      CASE WHEN c.n < $${n + 3} AND c.n <= ${FENCE_MATCHES} THEN (SELECT ${pageJson} FROM (${pageRows('SELECT iccid, k FROM m', '')}) p) END
    FROM c`;
  const countPages = search === 'scan';
  return {
    search: {
      countPages,
      count: statement(
        '_count',
        countPages
          ? scanned
          : `SELECT count(*)::text, ${counts} FROM (SELECT FROM sims s WHERE ${counted} LIMIT $${n + 1}) m`,
      ),
      walk: statement('_walk', pageOf(pageRows(walked, walkMatch), 'count(*)')),
      walkRows: keyed ? KEY_WALK_ROWS : WALK_ROWS,
      fenced: statement('_fenced', pageOf(pageRows(fenced, ''), 'count(*)')),
    },
    total,
  };
}

function shapeOf(q: PageQuery): { shape: Shape; values: unknown[] } {
  const term = q.q?.trim().toLowerCase() || undefined;
  const search = term ? (trigramTerm(term) ? 'trigram' : 'scan') : null;
  const set = filters.map(([, , field]) => q[field] !== undefined);
  const keyed = term !== undefined && keyWalked(term, q.sort, set);
  const key = `${set.map(Number).join('')}${search}${q.sort}${keyed ? 'k' : ''}`;
  let shape = shapes.get(key);
  if (!shape) {
    shape = buildShape(set, search, q.sort, keyed);
    shapes.set(key, shape);
  }
  const values: unknown[] = [];
  for (const [, , field] of filters) {
    const v = q[field];
    if (v !== undefined) values.push(v);
  }
  if (term) values.push(search === 'trigram' ? `%${likeEscape(term)}%` : term);
  return { shape, values };
}

/** The statements of a query's shape (for the plan tests). */
export function pageStatements(q: PageQuery): Shape {
  return shapeOf(q).shape;
}

/**
 * Append the Luhn digit to every `iccidWithLuhn` of the database's JSON. The marker cannot occur
 * inside a string value (JSON escapes its quotes there), and ICCIDs are digits on every input path —
 * anything else fails loudly rather than answering a wrong digit.
 */
export function addLuhnDigits(json: string): string {
  const parts: string[] = [];
  let from = 0;
  for (;;) {
    const at = json.indexOf(luhnMarker, from);
    if (at < 0) break;
    const start = at + luhnMarker.length;
    const end = json.indexOf('"', start);
    const iccid = json.slice(start, end);
    if (end < 0 || !/^\d+$/.test(iccid)) throw new Error(`ICCID ${iccid} is not digits`);
    parts.push(json.slice(from, end), String(luhnDigit(iccid)));
    from = end;
  }
  parts.push(json.slice(from));
  return parts.join('');
}

/** What a test may change in how a page is fetched: the walk's length, and how far a search counts. */
export interface PageOptions {
  walkFor?: typeof searchWalk;
  countLimit?: number;
}

/**
 * One page of an organisation's SIMs (never stock SIMs) with the total the filter matches, as the
 * JSON text of the contract's `simPage`. A search's total is exact up to `countLimit`; past it,
 * `totalExact` is false and `total` the number it counted to: more than that many match.
 */
export async function simPageJson(
  database: Database,
  orgId: string,
  q: PageQuery,
  { walkFor = searchWalk, countLimit: limit = COUNT_LIMIT }: PageOptions = {},
): Promise<string> {
  const { shape, values } = shapeOf(q);
  const offset = (q.page - 1) * q.pageSize;
  const paging = [q.pageSize, offset];
  let total: number;
  let exact = true;
  let items = '[]';
  if (shape.list) {
    const [row] = await database.arrays({ ...shape.list, values: [orgId, ...values, ...paging] });
    [total, items] = [Number(row?.[0]), String(row?.[1])];
  } else {
    // A search counts first, as far as the page needs, and picks the page's statement by the count
    // (`searchWalk`). The statements see one snapshot each: a SIM changed between them can be counted
    // and not listed, or the reverse, as after any reload; a list page makes no stronger promise.
    const search = shape.search as SearchStatements;
    const counts = countLimit(offset, q.pageSize, limit);
    const [counted] = await database.arrays({
      ...search.count,
      values: [orgId, ...values, ...(search.countPages ? paging : []), counts + 1],
    });
    total = Number(counted?.[0]);
    if (total > counts) [total, exact] = [counts, false];
    const wanted = Math.min(q.pageSize, total - offset);
    if (wanted > 0) {
      const walk = walkFor(total, Number(counted?.[1]), offset, q.pageSize, exact, search.walkRows);
      // the fenced page the count of a scanned term brought along
      const brought = counted?.[2];
      let row: unknown[] | undefined;
      if (walk === null && typeof brought === 'string') row = [null, brought];
      else if (walk !== null) {
        [row] = await database.arrays({ ...search.walk, values: [orgId, ...values, ...paging, walk] });
        // the walk held fewer matches than the page needs: they bunch elsewhere in this order
        if (Number(row?.[0]) < wanted) row = undefined;
      }
      if (!row) [row] = await database.arrays({ ...search.fenced, values: [orgId, ...values, ...paging] });
      items = String(row?.[1]);
    }
  }
  return `{"items":${addLuhnDigits(items)},"total":${total},"totalExact":${exact},"page":${q.page},"pageSize":${q.pageSize}}`;
}

/** How many of an organisation's SIMs (never stock SIMs) match a filter, every match counted. */
export async function countSims(database: Database, orgId: string, filter: SimFilter): Promise<number> {
  const { shape, values } = shapeOf({ ...filter, sort: 'iccid', page: 1, pageSize: 1 });
  const [row] = await database.arrays({ ...shape.total, values: [orgId, ...values] });
  return Number(row?.[0]);
}
