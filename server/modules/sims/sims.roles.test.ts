/**
 * Every SIM action for every caller (issue 3, item 7): the customer roles, the operator, and API clients
 * with full and read-only scope. The expected outcome of each cell comes from the permission module
 * (`can`) and the needed permissions of PRODUCT.md §9, never from a second matrix kept here.
 */
import { and, desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiRole, can, type PrincipalRole, roles } from '../../../contracts/permissions.js';
import { simEvents, sims } from '../../db/schema/index.js';
import { demoLogins } from '../../demo/seed.js';
import { runJobs } from '../../jobs/runner.js';
import { seedFleet } from '../../test/fleet.js';
import { as, createHarness, type Harness, type Session, seedFixtures, signIn } from '../../test/harness.js';
import { type Action, actions, baseline, snapshot, state } from './sims.roles.actions.js';

let h: Harness;
let demoId: string;
let fleet: string[];
const headers = new Map<string, Record<string, string>>();

/** A caller: a person with a role, or an API client (role `api`) whose scope may be read-only. */
interface Caller {
  who: string;
  role: PrincipalRole;
  readOnly: boolean;
}
const callers: Caller[] = [
  ...roles.map((role) => ({ who: role, role, readOnly: false })),
  { who: 'an API client', role: apiRole, readOnly: false },
  { who: 'a read-only API client', role: apiRole, readOnly: true },
];

/** Create an API client as the owner and exchange its credentials for a bearer token. */
async function clientHeaders(owner: Session, name: string, readOnly: boolean) {
  const created = await h.app.inject({
    method: 'POST',
    url: '/api/v1/api-clients',
    headers: as(owner),
    payload: { name, readOnly },
  });
  const { clientId, clientSecret } = created.json();
  const token = await h.app.inject({
    method: 'POST',
    url: '/api/v1/oauth/token',
    headers: { authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}` },
    payload: { grant_type: 'client_credentials' },
  });
  return { authorization: `Bearer ${token.json().access_token}` };
}

beforeAll(async () => {
  h = await createHarness({ OPENCMP_API_RATE_LIMIT: '100000' });
  demoId = (await seedFixtures(h.ctx)).demoOrgId;
  state.h = h;
  state.demoId = demoId;
  fleet = await seedFleet(h.ctx, demoId, 1, actions.length + 1, '10.64.0.0/24');
  for (const l of demoLogins) headers.set(l.role, as(await signIn(h.app, l.email)));
  const owner = await signIn(h.app, 'owner@demo.example');
  headers.set('an API client', await clientHeaders(owner, 'roles-full', false));
  headers.set('a read-only API client', await clientHeaders(owner, 'roles-readonly', true));
  const job = await h.app.inject({
    method: 'POST',
    url: '/api/v1/sims/bulk',
    headers: as(owner),
    payload: { action: 'activate', iccids: [fleet[actions.length]] },
  });
  state.jobId = job.json().id;
  await runJobs(h.ctx);
}, 120_000);
afterAll(() => h.close());

/** Whether the caller may: it holds every permission the action needs, and a read-only client only reads. */
const allowed = (c: Caller, a: Action) =>
  a.needs.every((p) => can(c.role, p)) && (!c.readOnly || a.method === 'GET');

describe.each(actions.map((a, i) => [a.what, i, a] as const))('SIM action: %s', (_, index, action) => {
  it.each(
    callers.map((c) => {
      const expected = allowed(c, action) ? action.ok : 403;
      return [
        c.who,
        expected === 403 ? '403 and nothing changes' : String(expected),
        { ...c, expected },
      ] as const;
    }),
  )(`when %s ${action.what}, then %s`, async (_who, _outcome, caller) => {
    const iccid = fleet[index] ?? '';
    const given = typeof action.given === 'function' ? action.given() : action.given;
    await h.ctx.db
      .update(sims)
      .set({ ...baseline(), ...given })
      .where(and(eq(sims.iccid, iccid), eq(sims.orgId, demoId)));
    await action.prepare?.(iccid);
    const before = await snapshot(iccid);
    const res = await h.app.inject({
      method: action.method,
      url: action.url(iccid),
      headers: headers.get(caller.who),
      ...(action.payload ? { payload: action.payload(iccid) } : {}),
    });
    expect(res.statusCode, res.body.slice(0, 300)).toBe(caller.expected);
    await runJobs(h.ctx);
    const after = await snapshot(iccid);
    if (caller.expected === 403) {
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json()).toMatchObject({ status: 403, code: 'forbidden' });
      expect(after).toEqual(before);
    } else {
      await action.effect({ res, before, after, iccid });
      if (action.method === 'GET') expect(after).toEqual(before);
      if (action.method !== 'GET' && after.events > before.events) {
        const [last] = await h.ctx.db
          .select()
          .from(simEvents)
          .where(eq(simEvents.iccid, iccid))
          .orderBy(desc(simEvents.id))
          .limit(1);
        expect(last?.source).toBe(caller.role === apiRole ? 'api' : 'user');
      }
    }
  });
});
