/**
 * The SIM actions of the role matrix (sims.roles.test.ts): each one's request, the permissions
 * PRODUCT.md §9 says it needs, the state it starts from and what it must do when allowed; and the
 * snapshot of everything a refused request must leave as it was.
 */
import { count, eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { Permission } from '../../../contracts/permissions.js';
import { billingBulkActions, bulkActions } from '../../../contracts/sims.js';
import {
  disconnectRequests,
  jobs,
  radiusSessions,
  simCharges,
  simEvents,
  sims,
  smsMessages,
} from '../../db/schema/index.js';
import type { Harness } from '../../test/harness.js';

/** What the actions run against, set by the test's beforeAll (they read it only when they run). */
export const state = {} as { h: Harness; demoId: string; jobId: string };

const MB = 1024 * 1024;
const imei = '490154203237518';
const day = 86_400_000;

/** What a SIM and everything hanging off it look like: a refused request must leave all of it as it was. */
export async function snapshot(iccid: string) {
  const db = state.h.ctx.db;
  const n = (rows: { n: number }[]) => rows[0]?.n ?? 0;
  const [sim] = await db.select().from(sims).where(eq(sims.iccid, iccid));
  return {
    sim,
    events: n(await db.select({ n: count() }).from(simEvents).where(eq(simEvents.iccid, iccid))),
    charges: await db.select().from(simCharges).where(eq(simCharges.iccid, iccid)).orderBy(simCharges.id),
    jobs: n(await db.select({ n: count() }).from(jobs).where(eq(jobs.orgId, state.demoId))),
    sms: n(await db.select({ n: count() }).from(smsMessages).where(eq(smsMessages.iccid, iccid))),
    disconnects: n(
      await db.select({ n: count() }).from(disconnectRequests).where(eq(disconnectRequests.iccid, iccid)),
    ),
    resets: await db
      .select({ at: radiusSessions.resetRequestedAt })
      .from(radiusSessions)
      .where(eq(radiusSessions.iccid, iccid)),
  };
}
type Snapshot = Awaited<ReturnType<typeof snapshot>>;
export type SimValues = Partial<typeof sims.$inferInsert>;

/** One SIM action: its request, the permissions §9 says it needs, where it starts and what it must do. */
export interface Action {
  what: string;
  method: 'GET' | 'PATCH' | 'POST';
  needs: Permission[];
  url: (iccid: string) => string;
  payload?: (iccid: string) => object;
  given?: SimValues | (() => SimValues);
  prepare?: (iccid: string) => Promise<void>;
  ok: 200 | 202;
  effect: (c: { res: LightMyRequestResponse; before: Snapshot; after: Snapshot; iccid: string }) => unknown;
}

const sim = (s: Snapshot) => {
  if (!s.sim) throw new Error('SIM missing');
  return s.sim;
};
/** An allowed change: the SIM now has these values and `events` more events. */
const changed =
  (values: SimValues, events = 1): Action['effect'] =>
  ({ before, after }) => {
    expect(sim(after)).toMatchObject(values);
    expect(after.events).toBe(before.events + events);
  };
/** An allowed read or no-op: nothing changed. */
const unchanged: Action['effect'] = ({ before, after }) => expect(after).toEqual(before);

/** A PATCH of one SIM. */
const patch = (
  what: string,
  body: object,
  needs: Permission[],
  given: SimValues,
  effect: Action['effect'],
): Action => ({
  what,
  method: 'PATCH',
  needs,
  url: (i) => `/api/v1/sims/${i}`,
  payload: () => body,
  given,
  ok: 200,
  effect,
});
const write: Permission[] = ['sims:write'];
const billing: Permission[] = ['sims:write', 'sims:billing'];

/** What each bulk action starts from and leads to. */
const bulkCases: Record<(typeof bulkActions)[number], [SimValues, SimValues]> = {
  activate: [{ status: 'deactivated' }, { status: 'activated' }],
  deactivate: [{}, { status: 'deactivated', sessionState: 'offline' }],
  imeiLockOn: [{}, { imeiLock: true }],
  imeiLockOff: [
    { imeiLock: true, lockedImei: imei },
    { imeiLock: false, lockedImei: null },
  ],
  autoTopUpOn: [{}, { autoTopUp: true }],
  autoTopUpOff: [{ autoTopUp: true }, { autoTopUp: false }],
  topUp: [{}, { dataTotal: 1000 * MB, smsTotal: 500 }],
};

export const actions: Action[] = [
  patch('changes the label', { label: 'Renamed' }, write, {}, changed({ label: 'Renamed' })),
  patch('deactivates', { status: 'deactivated' }, write, {}, changed({ status: 'deactivated' })),
  patch(
    'activates',
    { status: 'activated' },
    write,
    { status: 'deactivated' },
    changed({ status: 'activated' }),
  ),
  patch('activates an activated SIM (no-op)', { status: 'activated' }, write, {}, unchanged),
  patch(
    'turns the IMEI lock on',
    { imeiLock: true },
    write,
    {},
    changed({ imeiLock: true, lockedImei: null }),
  ),
  patch(
    'turns the IMEI lock off',
    { imeiLock: false },
    write,
    { imeiLock: true, lockedImei: imei },
    changed({ imeiLock: false, lockedImei: null }),
  ),
  patch('binds the IMEI lock to an IMEI', { imei }, write, { imeiLock: true }, changed({ lockedImei: imei })),
  patch(
    'turns the IMEI lock on bound to an IMEI',
    { imeiLock: true, imei },
    write,
    {},
    changed({ imeiLock: true, lockedImei: imei }),
  ),
  patch('turns auto top-up on', { autoTopUp: true }, billing, {}, changed({ autoTopUp: true })),
  patch(
    'turns auto top-up off',
    { autoTopUp: false },
    billing,
    { autoTopUp: true },
    changed({ autoTopUp: false }),
  ),
  patch(
    'changes the label and auto top-up at once',
    { label: 'Both', autoTopUp: true },
    billing,
    {},
    changed({ label: 'Both', autoTopUp: true }, 2),
  ),
  ...bulkActions.map(
    (action): Action => ({
      what: `starts a bulk ${action}`,
      method: 'POST',
      needs: billingBulkActions.includes(action) ? billing : write,
      url: () => '/api/v1/sims/bulk',
      payload: (iccid) => ({ action, iccids: [iccid] }),
      given: bulkCases[action][0],
      ok: 202,
      effect: async ({ res, before, after }) => {
        const [job] = await state.h.ctx.db.select().from(jobs).where(eq(jobs.id, res.json().id));
        expect(job).toMatchObject({ status: 'done', total: 1, succeeded: 1, failed: 0 });
        expect(after.jobs).toBe(before.jobs + 1);
        expect(sim(after)).toMatchObject(bulkCases[action][1]);
        expect(after.charges.length).toBe(before.charges.length + (action === 'topUp' ? 1 : 0));
      },
    }),
  ),
  {
    what: 'exports CSV',
    method: 'GET',
    needs: ['sims:operate'],
    url: (i) => `/api/v1/sims/export.csv?q=${i}`,
    ok: 200,
    effect: ({ res, iccid }) => {
      expect(res.headers['content-type']).toContain('text/csv');
      expect(res.body.trim().split('\r\n')).toHaveLength(2);
      expect(res.body).toContain(iccid);
    },
  },
  {
    what: 'exports Excel',
    method: 'GET',
    needs: ['sims:operate'],
    url: (i) => `/api/v1/sims/export.xlsx?q=${i}`,
    ok: 200,
    effect: async ({ res, iccid }) => {
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
      const sheet = wb.getWorksheet('SIMs');
      expect(sheet?.rowCount).toBe(2);
      expect(String(sheet?.getRow(2).getCell(1).value)).toContain(iccid);
    },
  },
  {
    what: 'lists SIMs',
    method: 'GET',
    needs: ['sims:read'],
    url: (i) => `/api/v1/sims?q=${i}`,
    ok: 200,
    effect: ({ res, iccid }) =>
      expect(res.json().items.map((s: { iccid: string }) => s.iccid)).toEqual([iccid]),
  },
  {
    what: 'counts SIMs',
    method: 'GET',
    needs: ['sims:read'],
    url: (i) => `/api/v1/sims/count?q=${i}`,
    ok: 200,
    effect: ({ res }) => expect(res.json()).toEqual({ total: 1 }),
  },
  {
    what: 'opens the SIM',
    method: 'GET',
    needs: ['sims:read'],
    url: (i) => `/api/v1/sims/${i}`,
    ok: 200,
    effect: ({ res, iccid }) => expect(res.json()).toMatchObject({ iccid, label: 'Baseline' }),
  },
  {
    what: 'reads events',
    method: 'GET',
    needs: ['sims:read'],
    url: (i) => `/api/v1/sims/${i}/events`,
    ok: 200,
    effect: ({ res, before }) => expect(res.json().total).toBe(before.events),
  },
  {
    what: 'reads usage',
    method: 'GET',
    needs: ['sims:read'],
    url: (i) => `/api/v1/sims/${i}/usage`,
    ok: 200,
    effect: ({ res }) => expect(res.json().volume).toMatchObject({ dataTotal: 500 * MB, smsTotal: 250 }),
  },
  {
    what: 'reads SMS',
    method: 'GET',
    needs: ['sims:read'],
    url: (i) => `/api/v1/sims/${i}/sms`,
    ok: 200,
    effect: ({ res, before }) => expect(res.json().total).toBe(before.sms),
  },
  {
    what: 'follows a bulk job',
    method: 'GET',
    needs: ['sims:read'],
    url: () => `/api/v1/jobs/${state.jobId}`,
    ok: 200,
    effect: ({ res }) => expect(res.json()).toMatchObject({ id: state.jobId, status: 'done' }),
  },
  {
    what: 'reads the top-up package',
    method: 'GET',
    needs: ['sims:billing'],
    url: () => '/api/v1/sims/top-up-package',
    ok: 200,
    effect: ({ res }) => expect(res.json()).toEqual({ dataMb: 500, dataBytes: 500 * MB, sms: 250 }),
  },
  {
    what: 'tops up',
    method: 'POST',
    needs: ['sims:billing'],
    url: (i) => `/api/v1/sims/${i}/top-up`,
    ok: 200,
    effect: ({ before, after }) => {
      expect(sim(after)).toMatchObject({ dataTotal: 1000 * MB, smsTotal: 500 });
      expect(after.charges.slice(before.charges.length)).toMatchObject([{ kind: 'top-up' }]);
    },
  },
  {
    what: 'extends the lifetime',
    method: 'POST',
    needs: ['sims:billing'],
    url: (i) => `/api/v1/sims/${i}/extend`,
    given: () => ({ endOfLife: new Date(state.h.clock.now().getTime() + 30 * day) }),
    ok: 200,
    effect: ({ before, after }) => {
      const months = state.h.ctx.config.OPENCMP_EXTENSION_MONTHS;
      const added = (sim(after).endOfLife?.getTime() ?? 0) - (sim(before).endOfLife?.getTime() ?? 0);
      expect(added).toBeGreaterThanOrEqual(months * 28 * day);
      expect(added).toBeLessThanOrEqual(months * 31 * day);
      expect(after.charges.slice(before.charges.length)).toMatchObject([{ kind: 'extension', months }]);
    },
  },
  {
    what: 'resets the connection',
    method: 'POST',
    needs: ['sims:operate'],
    url: (i) => `/api/v1/sims/${i}/reset`,
    prepare: async (iccid) => {
      const now = state.h.clock.now();
      const open = { stoppedAt: null, resetRequestedAt: null, startedAt: now, updatedAt: now };
      await state.h.ctx.db
        .insert(radiusSessions)
        .values({ nasAddress: '127.0.0.1', sessionId: `roles-${iccid}`, iccid, orgId: state.demoId, ...open })
        .onConflictDoUpdate({ target: [radiusSessions.nasAddress, radiusSessions.sessionId], set: open });
    },
    ok: 202,
    effect: ({ res, before, after }) => {
      expect(res.json()).toMatchObject({ sessions: 1, resetPending: true });
      expect(after.disconnects).toBe(before.disconnects + 1);
      expect(after.resets.every((r) => r.at !== null)).toBe(true);
      expect(after.events).toBe(before.events + 1);
    },
  },
  {
    what: 'sends an SMS',
    method: 'POST',
    needs: ['sims:operate'],
    url: (i) => `/api/v1/sims/${i}/sms`,
    payload: () => ({ text: 'role check' }),
    ok: 202,
    effect: ({ before, after }) => {
      expect(after.sms).toBe(before.sms + 1);
      expect(sim(after).smsUsed).toBe(1);
    },
  },
];

/** The state every cell starts from; each action adds its own `given`. */
export const baseline = (): SimValues => ({
  status: 'activated',
  sessionState: 'offline',
  label: 'Baseline',
  imeiLock: false,
  lockedImei: null,
  autoTopUp: false,
  dataTotal: 500 * MB,
  dataUsed: 0,
  smsTotal: 250,
  smsUsed: 0,
  endOfLife: new Date(state.h.clock.now().getTime() + 3650 * day),
  expiryNotice: null,
});
