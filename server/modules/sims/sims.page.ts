/**
 * One page of an organisation's SIMs with its total, in one round trip and without Drizzle: the
 * hottest read of the API (bearer `GET /sims`, issue 6; decision 013). The SQL text depends only on
 * the query's *shape* — which filters are set and the sort — so it is built once per shape and, on
 * PostgreSQL, prepared once per connection; the filter values are parameters. Rows arrive as arrays
 * and become list rows (`SimSummary`) directly; the end of life is formatted by the database.
 *
 * The filter means the same as `filterWhere` in sims.repository.ts (bulk actions and exports); the
 * test `sims.page.test.ts` holds the two together.
 */
import { iccidWithLuhn } from '../../../contracts/ids.js';
import type { SimFilter, SimSummary } from '../../../contracts/sims.js';
import type { Database, RawStatement } from '../../db/client.js';

type PageQuery = SimFilter & { sort: string; page: number; pageSize: number };

/** Sort keys of the contract → SQL; the same expressions as the indexes of `sims`. */
const sortExpressions: Record<string, string> = {
  iccid: 'iccid',
  imsi: 'imsi',
  msisdn: 'msisdn',
  status: 'status',
  session: 'session_state',
  label: 'label',
  imei: 'imei',
  ip: 'ip_address',
  dataLeft: '(data_total - data_used)',
  smsLeft: '(sms_total - sms_used)',
  endOfLife: 'end_of_life',
};

// millisecond ISO 8601 in UTC, exactly as Date#toISOString writes it (both truncate microseconds)
const columns = `iccid, imsi, msisdn, status, session_state, label, imei, imei_lock, ip_address,
  data_total, data_used, data_group, sms_total, sms_used, sms_group,
  to_char(end_of_life AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), auto_top_up`;

/** The set filters, in parameter order: (sims column, sim_counts column, query field). */
const filters = [
  ['status', 'status', 'status'],
  ['session_state', 'session_state', 'session'],
  ['data_group', 'data_group', 'dataVolume'],
  ['sms_group', 'sms_group', 'smsVolume'],
] as const;

interface Shape {
  page: RawStatement;
  total: RawStatement;
}

const shapes = new Map<string, Shape>();

/** Escape LIKE wildcards in user input. */
function likeEscape(s: string): string {
  return s.replace(/[%_\\]/g, '\\$&');
}

function buildShape(set: boolean[], search: boolean, sort: string): Shape {
  const simsWhere = ['org_id = $1'];
  const countsWhere = ['org_id = $1'];
  let n = 1;
  filters.forEach(([column, countsColumn], i) => {
    if (set[i]) {
      n++;
      simsWhere.push(`${column} = ANY($${n}::text[])`);
      countsWhere.push(`${countsColumn} = ANY($${n}::text[])`);
    } else if (column === 'status') {
      // customers never see stock SIMs
      simsWhere.push(`status <> 'stock'`);
      countsWhere.push(`status <> 'stock'`);
    }
  });
  if (search) {
    n++;
    simsWhere.push(`search_text LIKE $${n}`);
  }
  const where = simsWhere.join(' AND ');
  // a text search counts the matching rows; otherwise the trigger-kept sim_counts (≤ 144 rows) answer
  const total = search
    ? `(SELECT count(*) FROM sims WHERE ${where})`
    : `(SELECT coalesce(sum(n), 0)::int8 FROM sim_counts WHERE ${countsWhere.join(' AND ')})`;
  const descending = sort.startsWith('-');
  const sortKey = sort.replace(/^-/, '');
  const expression = sortExpressions[sortKey] ?? 'iccid';
  // ASC NULLS LAST and DESC NULLS FIRST are a forward and a backward scan of the same index
  const order = descending
    ? [`${expression} DESC NULLS FIRST`, 'iccid DESC']
    : [`${expression} ASC NULLS LAST`, 'iccid ASC'];
  const orderBy = (expression === 'iccid' ? order.slice(0, 1) : order).join(', ');
  const name = `sims_page_${shapes.size}`;
  return {
    page: {
      name,
      text: `SELECT ${columns}, ${total} FROM sims WHERE ${where} ORDER BY ${orderBy} LIMIT $${n + 1} OFFSET $${n + 2}`,
      values: [],
    },
    total: { name: `${name}_total`, text: `SELECT ${total}`, values: [] },
  };
}

function shapeOf(q: PageQuery, search: string | undefined): { shape: Shape; values: unknown[] } {
  const set = filters.map(([, , field]) => q[field] !== undefined);
  const key = `${set.map(Number).join('')}${search ? 1 : 0}${q.sort}`;
  let shape = shapes.get(key);
  if (!shape) {
    shape = buildShape(set, Boolean(search), q.sort);
    shapes.set(key, shape);
  }
  const values: unknown[] = [];
  for (const [, , field] of filters) {
    const v = q[field];
    if (v !== undefined) values.push(v);
  }
  if (search) values.push(`%${likeEscape(search)}%`);
  return { shape, values };
}

type VolumeGroup = SimSummary['dataVolume'];

/** A list row from the columns above. */
function summaryOf(r: unknown[]): SimSummary {
  const iccid = r[0] as string;
  const status = r[3] as string;
  return {
    iccid,
    iccidWithLuhn: iccidWithLuhn(iccid),
    imsi: r[1] as string,
    msisdn: r[2] as string,
    status: (status === 'stock' ? 'deactivated' : status) as SimSummary['status'],
    session: r[4] as SimSummary['session'],
    label: r[5] as string | null,
    imei: r[6] as string | null,
    imeiLock: r[7] as boolean,
    ipAddress: r[8] as string | null,
    dataTotal: Number(r[9]),
    dataUsed: Number(r[10]),
    dataVolume: (r[11] as VolumeGroup | null) ?? 'none',
    smsTotal: r[12] as number,
    smsUsed: r[13] as number,
    smsVolume: (r[14] as VolumeGroup | null) ?? 'none',
    endOfLife: r[15] as string | null,
    autoTopUp: r[16] as boolean,
  };
}

/** One page of an organisation's SIMs (never stock SIMs), with the total the filter matches. */
export async function pageSims(
  database: Database,
  orgId: string,
  q: PageQuery,
): Promise<{ items: SimSummary[]; total: number }> {
  const search = q.q?.trim().toLowerCase() || undefined;
  const { shape, values } = shapeOf(q, search);
  const rows = await database.arrays({
    name: shape.page.name,
    text: shape.page.text,
    values: [orgId, ...values, q.pageSize, (q.page - 1) * q.pageSize],
  });
  const first = rows[0];
  if (!first) {
    // past the last page (or nothing matches): the total still counts
    const [row] = await database.arrays({ ...shape.total, values: [orgId, ...values] });
    return { items: [], total: Number(row?.[0] ?? 0) };
  }
  const items = new Array<SimSummary>(rows.length);
  for (let i = 0; i < rows.length; i++) items[i] = summaryOf(rows[i] as unknown[]);
  return { items, total: Number(first[17]) };
}
