import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { eventTypes } from '../../contracts/events.js';
import { jobs } from '../db/schema/index.js';
import { fixtureIds, stockCsv } from '../test/fleet.js';
import { type ChildServer, childServers, type DatabaseEnv, signInOver } from '../test/process.js';

// A bulk job over 10,000 SIMs in the real server, run as a child process: killed with SIGKILL in the
// middle of the job, and stopped with SIGTERM in the middle of another; each time it is started again
// on the same database, and the job ends with one result and one event per SIM.
const PASSWORD = 'restart-test-pw-1';
const SIZE = 10_000;
const SERIES = 5;
const servers = childServers({ password: PASSWORD });
const roles = ['api', 'worker'];

interface Job {
  id: string;
  status: string;
  total: number;
  processed: number;
  succeeded: number;
  unchanged: number;
  failed: number;
}

let env: DatabaseEnv;
let server: ChildServer;
let owner: Record<string, string>;

/** Call the API of the running child as `as` (the demo owner by default); JSON in, JSON out, CSV when a string is sent. */
async function api<T>(
  path: string,
  init: { method?: string; body?: unknown; as?: Record<string, string> } = {},
) {
  const csv = typeof init.body === 'string';
  const res = await fetch(`${server.url}/api/v1${path}`, {
    method: init.method ?? 'GET',
    headers: {
      ...(init.as ?? owner),
      ...(init.body === undefined ? {} : { 'content-type': csv ? 'text/csv' : 'application/json' }),
    },
    body: init.body === undefined ? undefined : csv ? (init.body as string) : JSON.stringify(init.body),
  });
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** The `total` of a list endpoint. */
async function total(path: string) {
  return (await api<{ total: number }>(path)).total;
}

/** Start the server on the test's database and sign in as the demo owner. */
async function startServer() {
  server = await servers.start(env, roles);
  owner = await signInOver(server.url, 'owner@demo.example', PASSWORD);
}

/** Poll the job until `until` holds; fails when it is done first (the interruption would come too late). */
async function watch(id: string, until: (j: Job) => boolean, timeoutMs = 60_000): Promise<Job> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await api<Job>(`/jobs/${id}`);
    if (until(job)) return job;
    if (Date.now() > deadline) throw new Error(`job ${id} stuck: ${JSON.stringify(job)}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A bulk action over every SIM of the demo organisation in one status. */
async function startBulk(action: 'activate' | 'deactivate', status: 'activated' | 'deactivated') {
  const job = await api<Job>('/sims/bulk', {
    method: 'POST',
    body: { action, filter: { status: [status] } },
  });
  expect(job.total).toBeGreaterThanOrEqual(SIZE);
  return job;
}

/** Wait for the job to end; it must have succeeded for every SIM, leaving none in `from`. */
async function expectAllDone(job: Job, from: 'activated' | 'deactivated') {
  const done = await watch(job.id, (j) => j.status === 'done' || j.status === 'failed');
  expect(done).toMatchObject({ status: 'done', processed: job.total, succeeded: job.total, failed: 0 });
  expect(await total(`/jobs/${job.id}/items?result=ok&pageSize=1`)).toBe(job.total);
  expect(await total(`/sims?status=${from}&pageSize=1`)).toBe(0);
}

/**
 * Check a finished job in its database (the child stopped, for PGlite's sake): one result per item and
 * per SIM, none pending, and exactly one event of `eventType` since the job began for each of its SIMs.
 */
async function checkOnce(id: string, eventType: number) {
  const database = await servers.open(env);
  try {
    const [job] = await database.db.select().from(jobs).where(eq(jobs.id, id));
    if (!job) throw new Error(`job ${id} not found`);
    const [row] = await database.query<{ items: number; sims: number; pending: number; once: number }>(sql`
      SELECT count(*)::int AS items, count(DISTINCT i.iccid)::int AS sims,
             count(*) FILTER (WHERE i.result = 'pending')::int AS pending,
             count(*) FILTER (WHERE (SELECT count(*) FROM sim_events e
               WHERE e.org_id = ${job.orgId} AND e.iccid = i.iccid AND e.type = ${eventType}
                 AND e.occurred_at >= ${job.createdAt.toISOString()}::timestamptz) = 1)::int AS once
      FROM job_items i WHERE i.job_id = ${id}`);
    expect(row).toEqual({ items: job.total, sims: job.total, pending: 0, once: job.total });
  } finally {
    await database.close();
  }
}

describe('a bulk job over 10,000 SIMs when the server restarts', () => {
  it('when the server is killed with SIGKILL midway through one job and stopped with SIGTERM midway through another, then both finish with one result and one event per SIM, the second without waiting for the lease', async () => {
    env = await servers.database();
    await startServer();
    // 10,000 SIMs from stock, through the operator console's API, for the demo organisation
    const operator = await signInOver(server.url, 'operator@provider.example', PASSWORD);
    await api('/operator/stock/import', { method: 'POST', body: stockCsv(SERIES, SIZE), as: operator });
    const customers = await api<{ items: { id: string }[] }>('/operator/customers?q=8100012345', {
      as: operator,
    });
    await api('/operator/stock/assign', {
      method: 'POST',
      as: operator,
      body: {
        orgId: customers.items[0]?.id,
        iccidFrom: fixtureIds(SERIES, 1).iccid,
        iccidTo: fixtureIds(SERIES, SIZE).iccid,
        contractMonths: 120,
        dataMb: 500,
        sms: 250,
      },
    });

    // 1. deactivate every activated SIM; killed once the job made progress
    const first = await startBulk('deactivate', 'activated');
    const killedAt = await watch(first.id, (j) => j.processed > 0 || j.status === 'done');
    expect(killedAt.status).toBe('running');
    expect(await server.stop('SIGKILL')).toBeNull();
    // a dead worker's lease runs out 60 s after its last chunk: the test moves it there instead of waiting
    let database = await servers.open(env);
    try {
      const [killed] = await database.db.select().from(jobs).where(eq(jobs.id, first.id));
      expect(killed?.leaseUntil?.getTime()).toBeGreaterThan(Date.now());
      await database.db.update(jobs).set({ leaseUntil: new Date() }).where(eq(jobs.id, first.id));
    } finally {
      await database.close();
    }

    await startServer();
    await expectAllDone(first, 'activated');

    // 2. activate them all again; stopped with SIGTERM once the job made progress
    const second = await startBulk('activate', 'deactivated');
    const stoppedAt = await watch(second.id, (j) => j.processed > 0 || j.status === 'done');
    expect(stoppedAt.status).toBe('running');
    const sigterm = performance.now();
    expect(await server.stop('SIGTERM')).toBe(0);
    database = await servers.open(env);
    try {
      const [stopped] = await database.db.select().from(jobs).where(eq(jobs.id, second.id));
      // the chunk at hand committed, and the lease ended with it
      expect(stopped?.status).toBe('running');
      expect(stopped?.processed).toBeLessThan(second.total);
      expect(stopped?.leaseUntil?.getTime()).toBeLessThanOrEqual(Date.now());
    } finally {
      await database.close();
    }
    await checkOnce(first.id, eventTypes.simSuspension);

    await startServer();
    await expectAllDone(second, 'deactivated');
    // with its lease kept, the job could not be taken before 60 s after its last chunk (about the SIGTERM)
    expect(performance.now() - sigterm).toBeLessThan(55_000);
    expect(await server.stop('SIGTERM')).toBe(0);
    await checkOnce(second.id, eventTypes.simActivation);
  }, 300_000);
});
