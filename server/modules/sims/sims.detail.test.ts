import { describe, expect, it } from 'vitest';
import { renderProblem } from '../../test/error-text.js';
import { fixtureIds } from '../../test/fleet.js';
import { addUsage } from '../usage/usage.repository.js';
import { MB, mySimsFixture } from './sims.fixture.js';

const f = mySimsFixture();
const { get, patch, n } = f;

describe('SIM detail and changes', () => {
  it('when opening a SIM, then identifiers, lifetime and network data are there', async () => {
    const res = await get(`/api/v1/sims/${n(4)}`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({
      iccid: n(4),
      session: 'online',
      imei: '490154203237518',
      dataTotal: 500 * MB,
      smsTotal: 250,
    });
    expect(body.iccidWithLuhn).toHaveLength(20);
    expect(body.ipAddress).toMatch(/^10\.64\.0\.\d+$/);
    expect(body.lifetime.percentPassed).toBe(0);
    expect(body.lifetime.daysLeft).toBeGreaterThan(3600);
  });

  it('when the ICCID is given with its Luhn digit, then the same SIM answers', async () => {
    const withLuhn = (await get(`/api/v1/sims/${n(1)}`)).json().iccidWithLuhn;
    expect((await get(`/api/v1/sims/${withLuhn}`)).json().iccid).toBe(n(1));
  });

  it("when another organisation's SIM or a stock SIM is asked for, then 404 — and changing it changes nothing", async () => {
    expect((await get(`/api/v1/sims/${f.foreign(0)}`)).statusCode).toBe(404);
    expect((await patch(f.foreign(0), { label: 'mine now' })).statusCode).toBe(404);
    expect((await get(`/api/v1/sims/${f.foreign(0)}`, 'other')).json().label).toBeNull();
    expect((await get(`/api/v1/sims/${f.foreign(0)}/events`)).statusCode).toBe(404);
    expect((await get(`/api/v1/sims/${f.foreign(0)}/usage`)).statusCode).toBe(404);
  });

  it.each([
    ['12345', 'iccid'],
    ['894901999999900000a', 'iccid'],
    [`${fixtureIds(1, 1).iccid}9`, 'iccid'],
  ])('when the ICCID in the path is %s, then 400 names %s', async (bad, field) => {
    const res = await get(`/api/v1/sims/${bad}`);
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].field).toBe(field);
  });

  it.each([
    [{ label: 'x'.repeat(65) }, 'label'],
    [{ label: '📡'.repeat(65) }, 'label'],
    [{ label: 'bad\u0007label' }, 'label'],
    [{ imeiLock: true, imei: '490154203237519' }, 'imei'],
    [{ imeiLock: true, imei: '4901542032375' }, 'imei'],
    [{ status: 'expired' }, 'status'],
    [{ iccid: '1' }, ''],
  ])('when the change is %j, then 400 names the field and nothing changes', async (payload, field) => {
    const before = (await get(`/api/v1/sims/${n(6)}`)).json();
    const res = await patch(n(6), payload);
    expect(res.statusCode).toBe(400);
    if (field) expect(res.json().errors.map((e: { field: string }) => e.field)).toContain(field);
    expect((await get(`/api/v1/sims/${n(6)}`)).json()).toEqual(before);
  });

  it('when a label has 64 emoji, then it is taken: characters are counted as code points, as the portal counts them', async () => {
    const res = await patch(n(6), { label: '📡'.repeat(64) });
    expect(res.statusCode).toBe(200);
    expect(res.json().label).toBe('📡'.repeat(64));
    await patch(n(6), { label: null });
  });

  it.each([
    ['owner', 200],
    ['admin', 200],
    ['user', 200],
    ['readonly', 403],
    ['thirdparty', 403],
    ['operator', 403],
  ])('when %s changes a label, then %i', async (role, status) => {
    const res = await patch(n(1), { label: `Alpha Pump (${role})` }, role);
    expect(res.statusCode).toBe(status);
  });

  it('when a label has blanks around it or is blanks alone, then they are dropped; blanks alone clear it', async () => {
    expect((await patch(n(2), { label: '  Tank 7  ' })).json().label).toBe('Tank 7');
    expect((await patch(n(2), { label: '   ' })).json().label).toBeNull();
  });

  it('when a User changes auto top-up, then 403 (billing); an Admin may', async () => {
    expect((await patch(n(1), { autoTopUp: true }, 'user')).statusCode).toBe(403);
    const res = await patch(n(1), { autoTopUp: true }, 'admin');
    expect(res.statusCode).toBe(200);
    expect(res.json().autoTopUp).toBe(true);
  });

  it('when a user deactivates a SIM, then it is deactivated, offline, and an event names the user', async () => {
    const res = await patch(n(5), { status: 'deactivated' }, 'user');
    expect(res.json()).toMatchObject({ status: 'deactivated', session: 'offline' });
    const events = (await get(`/api/v1/sims/${n(5)}/events?type=9`)).json();
    expect(events.total).toBe(1);
    expect(events.items[0]).toMatchObject({
      type: 9,
      source: 'user',
      actor: 'Ursula User',
      typeName: 'SIM suspension',
    });
    const back = await patch(n(5), { status: 'activated' }, 'user');
    expect(back.json().status).toBe('activated');
  });

  it('when an expired SIM is activated, then 409 and it stays expired', async () => {
    const res = await patch(n(3), { status: 'activated' });
    expect(res.statusCode).toBe(409);
    // the reason lets the portal say it in the reader's language; in English it is the detail
    expect(res.json()).toMatchObject({ reason: 'sim_expired', params: { iccid: n(3) } });
    expect(renderProblem('en', res.json())).toBe(res.json().detail);
    expect(renderProblem('de', res.json())).toBe(
      `SIM ${n(3)} ist abgelaufen: nur eine Verlängerung der Laufzeit macht sie wieder nutzbar.`,
    );
    expect((await get(`/api/v1/sims/${n(3)}`)).json().status).toBe('expired');
  });

  it('when the IMEI lock is bound to an entered IMEI, then it is stored with an event; turning it off clears it', async () => {
    const on = await patch(n(6), { imeiLock: true, imei: '490154203237518' });
    expect(on.json()).toMatchObject({ imeiLock: true, lockedImei: '490154203237518' });
    const off = await patch(n(6), { imeiLock: false });
    expect(off.json()).toMatchObject({ imeiLock: false, lockedImei: null });
    const events = (await get(`/api/v1/sims/${n(6)}/events?type=101`)).json();
    expect(events.total).toBe(2);
  });

  it('when events are filtered by severity, then only those come back, newest first', async () => {
    const all = (await get(`/api/v1/sims/${n(5)}/events`)).json();
    const times = all.items.map((e: { occurredAt: string }) => e.occurredAt);
    expect(times).toEqual([...times].sort().reverse());
    expect((await get(`/api/v1/sims/${n(5)}/events?severity=critical`)).json().total).toBe(0);
  });

  it('when usage was recorded, then the usage tab shows it per day with totals and the volume', async () => {
    await addUsage(f.harness().ctx.db, [
      {
        orgId: f.demoOrgId(),
        iccid: n(2),
        day: '2026-03-01',
        hour: 9,
        dataUp: 100,
        dataDown: 900,
        smsMo: 1,
        smsMt: 2,
      },
      {
        orgId: f.demoOrgId(),
        iccid: n(2),
        day: '2026-03-03',
        hour: 23,
        dataUp: 50,
        dataDown: 50,
        smsMo: 0,
        smsMt: 1,
      },
    ]);
    const res = await get(`/api/v1/sims/${n(2)}/usage?from=2026-03-01&to=2026-03-03`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.days).toHaveLength(3);
    expect(body.days[1]).toEqual({ day: '2026-03-02', dataUp: 0, dataDown: 0, smsMo: 0, smsMt: 0 });
    expect(body.totals).toEqual({ dataUp: 150, dataDown: 950, smsMo: 1, smsMt: 3 });
    expect(body.volume.dataUsed).toBe(1100);
    expect((await get(`/api/v1/sims/${n(2)}/usage?from=2026-03-04&to=2026-03-01`)).statusCode).toBe(400);
  });
});
