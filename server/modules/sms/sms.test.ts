import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventTypes } from '../../../contracts/events.js';
import { simEvents, sims, simUsageDaily, smsMessages } from '../../db/schema/index.js';
import { demoLogins } from '../../demo/seed.js';
import { type SmscSimulator, startSmscSimulator } from '../../network/simulator/smsc.js';
import { type SmppRunner, startSmpp } from '../../network/smpp/runner.js';
import { fixtureIds, seedFleet } from '../../test/fleet.js';
import { as, createHarness, type Harness, type Session, seedFixtures, signIn } from '../../test/harness.js';

let h: Harness;
let smsc: SmscSimulator;
let runner: SmppRunner | null = null;
const s = new Map<string, Session>();
let mine: string[];
let foreign: string[];

const start = async () => {
  runner = await startSmpp(h.ctx, {
    pollMs: 30,
    statusMs: 100,
    receiptWaitMs: 3000,
    esme: { reconnectMinMs: 20 },
  });
  expect(await runner.esme.waitBound()).toBe(true);
};
const stop = async () => {
  await runner?.stop();
  runner = null;
};

beforeAll(async () => {
  smsc = await startSmscSimulator({
    receiptDelayMs: 30,
    outcome: ({ text }) =>
      text.includes('FAIL') ? 'failed' : text.includes('EXPIRE') ? 'expired' : 'delivered',
  });
  h = await createHarness({ SMPP_URL: smsc.url });
  const { otherOrgId, demoOrgId } = await seedFixtures(h.ctx);
  mine = await seedFleet(h.ctx, demoOrgId, 1, 12, '10.64.0.0/24');
  foreign = await seedFleet(h.ctx, otherOrgId, 2, 2, '10.99.0.0/24');
  await h.ctx.db
    .update(sims)
    .set({ status: 'deactivated' })
    .where(eq(sims.iccid, mine[1] ?? ''));
  for (const l of demoLogins) s.set(l.role, await signIn(h.app, l.email));
  s.set('other', await signIn(h.app, 'other-owner@other.example'));
  await start();
}, 60_000);
afterAll(async () => {
  await stop();
  await h.close();
  await smsc.stop();
});

const session = (role: string) => {
  const found = s.get(role);
  if (!found) throw new Error(`no session for ${role}`);
  return found;
};
const n = (k: number) => mine[k - 1] ?? '';
const post = (iccid: string, payload: unknown, role = 'owner') =>
  h.app.inject({
    method: 'POST',
    url: `/api/v1/sims/${iccid}/sms`,
    headers: as(session(role)),
    payload: payload as object,
  });
const get = (url: string, role = 'owner') => h.app.inject({ method: 'GET', url, headers: as(session(role)) });
const del = (url: string, role = 'owner') =>
  h.app.inject({ method: 'DELETE', url, headers: as(session(role)) });
const simRow = async (iccid: string) => (await h.ctx.db.select().from(sims).where(eq(sims.iccid, iccid)))[0];

async function until<T>(fn: () => Promise<T>, ok: (v: T) => boolean, ms = 8000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`not reached in time: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
const message = (iccid: string, id: string) => get(`/api/v1/sims/${iccid}/sms/${id}`).then((r) => r.json());

describe('sending SMS over SMPP', () => {
  it('when an Owner sends a three-part text, then it is pending at once, then delivered with a receipt per part, counted and evented', async () => {
    const before = await simRow(n(1));
    const text = `${'Pump 7: pressure {ok}, valve [closed]. '.repeat(9)}END`;
    const res = await post(n(1), { text });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({
      status: 'pending',
      encoding: 'gsm7',
      segments: 3,
      direction: 'MT',
      actor: 'Olivia Owner',
    });
    const done = await until(
      () => message(n(1), res.json().id),
      (m) => m.status === 'delivered',
    );
    expect(done.parts).toHaveLength(3);
    expect(
      done.parts.every((p: { state: string; smscId: string }) => p.state === 'delivered' && p.smscId),
    ).toBe(true);
    expect(smsc.received.find((m) => m.text === text)).toMatchObject({
      parts: 3,
      destination: before?.msisdn,
    });
    expect((await simRow(n(1)))?.smsUsed).toBe((before?.smsUsed ?? 0) + 3);
    const events = await h.ctx.db
      .select()
      .from(simEvents)
      .where(and(eq(simEvents.iccid, n(1)), eq(simEvents.type, eventTypes.smsDelivered)));
    expect(events).toHaveLength(1);
  });

  it('when the text is Cyrillic with an emoji, then it goes as UCS-2 and arrives intact', async () => {
    const text = 'Привет, насос 😀';
    const res = await post(n(3), { text });
    expect(res.json()).toMatchObject({ encoding: 'ucs2', segments: 1 });
    await until(
      () => message(n(3), res.json().id),
      (m) => m.status === 'delivered',
    );
    expect(smsc.received.find((m) => m.text === text)).toMatchObject({ dataCoding: 8 });
  });

  it('when the SMSC reports a failure or expiry, then the message says so with a warning event', async () => {
    const failed = await post(n(4), { text: 'please FAIL' });
    const expired = await post(n(4), { text: 'please EXPIRE' });
    const f = await until(
      () => message(n(4), failed.json().id),
      (m) => m.status === 'failed',
    );
    const e = await until(
      () => message(n(4), expired.json().id),
      (m) => m.status === 'expired',
    );
    expect(f.error).toContain('UNDELIV');
    expect(e.error).toContain('EXPIRED');
    const events = await h.ctx.db
      .select()
      .from(simEvents)
      .where(and(eq(simEvents.iccid, n(4)), eq(simEvents.type, eventTypes.smsNotDelivered)));
    expect(events.map((x) => x.severity)).toEqual(['warning', 'warning']);
  });

  it('when the SMSC refuses a submit, then the message fails at once, its volume is given back and the event names the status', async () => {
    // a number the SMSC cannot address (the simulator wants 3 to 20 digits)
    await h.ctx.db
      .update(sims)
      .set({ msisdn: '12' })
      .where(eq(sims.iccid, n(12)));
    const before = await simRow(n(12));
    const res = await post(n(12), { text: 'unreachable' });
    expect(res.statusCode, res.body).toBe(202);
    const m = await until(
      () => message(n(12), res.json().id),
      (x) => x.status === 'failed',
    );
    expect(m.error).toContain('ESME_RINVDSTADR');
    expect((await simRow(n(12)))?.smsUsed).toBe(before?.smsUsed);
    const [failed] = await h.ctx.db
      .select()
      .from(simEvents)
      .where(and(eq(simEvents.iccid, n(12)), eq(simEvents.type, eventTypes.smsNotDelivered)));
    expect(failed?.description).toBe('SMS not sent, refused by the SMSC: ESME_RINVDSTADR (0x0B)');
    expect(failed?.details).toMatchObject({ status: 'failed', smscStatus: 'ESME_RINVDSTADR (0x0B)' });
  });

  it('when a SIM sends an MO SMS (also in two parts), then it is stored, shown and counted as MO', async () => {
    const msisdn = fixtureIds(1, 5).msisdn;
    const before = await simRow(n(5));
    expect(await smsc.sendMo(msisdn, 'Battery 87%')).toEqual([0]);
    const long = `${'Status report. '.repeat(12)}done`;
    expect(await smsc.sendMo(msisdn, long)).toEqual([0, 0]);
    const list = (await get(`/api/v1/sims/${n(5)}/sms?direction=MO`)).json();
    expect(list.items.map((m: { text: string; segments: number }) => [m.text, m.segments]).sort()).toEqual(
      [
        ['Battery 87%', 1],
        [long, 2],
      ].sort(),
    );
    // from the SIM's MSISDN to the number the device wrote to
    for (const m of list.items) expect(m).toMatchObject({ from: before?.msisdn, to: m.peer });
    expect((await simRow(n(5)))?.smsUsed).toBe((before?.smsUsed ?? 0) + 3);
    const [usage] = await h.ctx.db
      .select()
      .from(simUsageDaily)
      .where(eq(simUsageDaily.iccid, n(5)));
    expect(usage?.smsMo).toBe(3);
  });

  it('when an MO comes from an unknown MSISDN, then it is refused (ESME_RINVSRCADR) and nothing is stored', async () => {
    const rows = await h.ctx.db.select().from(smsMessages);
    expect(await smsc.sendMo('4915199999999', 'who am I')).toEqual([0x0a]);
    expect(await h.ctx.db.select().from(smsMessages)).toHaveLength(rows.length);
  });

  it('when the ESME is down, then an MT waits pending and is delivered after the restart; a cancelled one never leaves', async () => {
    await stop();
    const keep = await post(n(6), { text: 'sent after restart' });
    const cancel = await post(n(6), { text: 'cancelled before submit' });
    expect(keep.statusCode).toBe(202);
    const usedBefore = (await simRow(n(6)))?.smsUsed ?? 0;
    const c = await del(`/api/v1/sims/${n(6)}/sms/${cancel.json().id}`);
    expect(c.json()).toMatchObject({ outcome: 'cancelled', message: { status: 'cancelled' } });
    expect((await simRow(n(6)))?.smsUsed).toBe(usedBefore - 1);
    await new Promise((r) => setTimeout(r, 100));
    expect((await message(n(6), keep.json().id)).status).toBe('pending');
    const status = (await get('/api/v1/operator/network/smsc', 'operator')).json();
    expect(status).toMatchObject({ outbox: 1 });
    await start();
    await until(
      () => message(n(6), keep.json().id),
      (m) => m.status === 'delivered',
    );
    expect(smsc.received.some((m) => m.text === 'cancelled before submit')).toBe(false);
    expect((await message(n(6), cancel.json().id)).status).toBe('cancelled');
  });

  it('when a delivered message is deleted, then it leaves the list but stays counted', async () => {
    const res = await post(n(7), { text: 'to be removed' });
    await until(
      () => message(n(7), res.json().id),
      (m) => m.status === 'delivered',
    );
    const used = (await simRow(n(7)))?.smsUsed;
    expect((await del(`/api/v1/sims/${n(7)}/sms/${res.json().id}`)).json()).toMatchObject({
      outcome: 'removed',
    });
    expect((await get(`/api/v1/sims/${n(7)}/sms`)).json().items).toHaveLength(0);
    expect((await get(`/api/v1/sims/${n(7)}/sms/${res.json().id}`)).statusCode).toBe(404);
    expect((await simRow(n(7)))?.smsUsed).toBe(used);
  });
});

describe('the sender of an MT', () => {
  it.each([
    ['no sender', undefined, (h0) => h0.ctx.config.SMPP_SOURCE_ADDR, 1],
    ['a number with a +', '+49 1511', () => '', 0],
    ['a number', '+4915112345678', () => '4915112345678', 1],
    ['a short code', '4711', () => '4711', 1],
    ['a name', 'Acme Pumps', () => 'Acme Pumps', 5],
    ['a name of 11 characters', ' ACME-2.IoT ', () => 'ACME-2.IoT', 5],
  ] as [string, string | undefined, (h0: Harness) => string, number][])(
    'when sent with %s, then the SMSC gets it as the sender with its type of number, and the list shows it',
    async (_label, sourceAddress, expected, ton) => {
      const text = `sender test ${_label}`;
      const res = await post(n(11), sourceAddress === undefined ? { text } : { text, sourceAddress });
      if (ton === 0) {
        // digits with a space are neither a number nor a name (no letter)
        expect(res.statusCode).toBe(400);
        expect(res.json().errors.map((e: { field: string }) => e.field)).toEqual(['sourceAddress']);
        expect(
          (await get(`/api/v1/sims/${n(11)}/sms`))
            .json()
            .items.some((m: { text: string }) => m.text === text),
        ).toBe(false);
        return;
      }
      expect(res.statusCode).toBe(202);
      const sim = await simRow(n(11));
      expect(res.json()).toMatchObject({ from: expected(h), to: sim?.msisdn, peer: sim?.msisdn });
      await until(
        () => message(n(11), res.json().id),
        (m) => m.status === 'delivered',
      );
      expect(smsc.received.find((m) => m.text === text)).toMatchObject({
        source: expected(h),
        sourceTon: ton,
        destination: sim?.msisdn,
      });
    },
  );
});

describe('SMS volume', () => {
  it('when the volume cannot carry every part, then 409 naming the volume, and nothing changes; the last SMS raises "used up"', async () => {
    const iccid = n(8);
    await h.ctx.db.update(sims).set({ smsTotal: 10, smsUsed: 9 }).where(eq(sims.iccid, iccid));
    const rowsBefore = await h.ctx.db.select().from(smsMessages).where(eq(smsMessages.iccid, iccid));
    const res = await post(iccid, { text: 'x'.repeat(200) });
    expect(res.statusCode).toBe(409);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ code: 'sms_volume_exhausted', errors: [{ field: 'text' }] });
    expect(res.json().detail).toContain('needs 2 SMS');
    expect(await h.ctx.db.select().from(smsMessages).where(eq(smsMessages.iccid, iccid))).toHaveLength(
      rowsBefore.length,
    );
    expect((await simRow(iccid))?.smsUsed).toBe(9);
    expect(await h.ctx.db.select().from(simUsageDaily).where(eq(simUsageDaily.iccid, iccid))).toHaveLength(0);

    expect((await post(iccid, { text: 'last one' })).statusCode).toBe(202);
    const usedUp = await h.ctx.db
      .select()
      .from(simEvents)
      .where(and(eq(simEvents.iccid, iccid), eq(simEvents.type, eventTypes.smsUsedUp)));
    expect(usedUp).toHaveLength(1);
    const refused = await post(iccid, { text: 'one more' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().detail).toContain('used up');
  });

  it('when the send list is read, then it carries the volume and the default sender for the form', async () => {
    const list = (await get(`/api/v1/sims/${n(8)}/sms`)).json();
    expect(list.volume).toEqual({ smsTotal: 10, smsUsed: 10 });
    expect(list.defaultSource).toBe(h.ctx.config.SMPP_SOURCE_ADDR);
  });
});

describe('SMS API per role and input', () => {
  it.each([
    ['owner', 202],
    ['admin', 202],
    ['user', 202],
    ['thirdparty', 202],
    ['readonly', 403],
    ['operator', 403],
  ])('when a %s sends, then %i', async (role, code) => {
    expect((await post(n(9), { text: `hello from ${role}` }, role)).statusCode).toBe(code);
  });

  it.each([
    ['readonly', 200],
    ['operator', 403],
  ])('when a %s lists, then %i', async (role, code) => {
    expect((await get(`/api/v1/sims/${n(9)}/sms`, role)).statusCode).toBe(code);
  });

  it("when another organisation's SIM or message is named, then 404 and nothing is sent", async () => {
    const count = smsc.received.length;
    expect((await post(foreign[0] ?? '', { text: 'hi' })).statusCode).toBe(404);
    expect((await get(`/api/v1/sims/${foreign[0]}/sms`)).statusCode).toBe(404);
    const theirs = await post(foreign[0] ?? '', { text: 'theirs' }, 'other');
    expect(theirs.statusCode).toBe(202);
    expect((await get(`/api/v1/sims/${foreign[0]}/sms/${theirs.json().id}`)).statusCode).toBe(404);
    expect((await get(`/api/v1/sims/${n(9)}/sms/${theirs.json().id}`)).statusCode).toBe(404);
    expect((await del(`/api/v1/sims/${foreign[0]}/sms/${theirs.json().id}`)).statusCode).toBe(404);
    expect(smsc.received.length).toBeGreaterThanOrEqual(count);
  });

  it('when the SIM is deactivated, then 409 and nothing is stored', async () => {
    const res = await post(n(2), { text: 'hi' });
    expect(res.statusCode).toBe(409);
    expect(res.json().detail).toContain('deactivated');
  });

  it.each([
    ['an empty text', { text: '' }, 'text'],
    ['1,531 GSM-7 characters (11 parts)', { text: 'x'.repeat(1531) }, 'text'],
    ['671 UCS-2 characters (11 parts)', { text: 'ж'.repeat(671) }, 'text'],
    ['a tab character', { text: 'tab\there' }, 'text'],
    ['no text', {}, 'text'],
    ['an unknown field', { text: 'hi', to: '123' }, 'body'],
    ['an empty sender', { text: 'hi', sourceAddress: '' }, 'sourceAddress'],
    ['a sender of 16 digits', { text: 'hi', sourceAddress: '1234567890123456' }, 'sourceAddress'],
    ['a sender name of 12 characters', { text: 'hi', sourceAddress: 'Twelve chars' }, 'sourceAddress'],
    ['a sender with a tab', { text: 'hi', sourceAddress: 'Acme\tIoT' }, 'sourceAddress'],
    ['a sender outside ASCII', { text: 'hi', sourceAddress: 'Zähler' }, 'sourceAddress'],
    ['a sender starting with a hyphen', { text: 'hi', sourceAddress: '-Acme' }, 'sourceAddress'],
    ['a sender that is no text', { text: 'hi', sourceAddress: 4711 }, 'sourceAddress'],
  ])('when the body has %s, then 400 naming the field', async (_label, payload, field) => {
    const res = await post(n(10), payload);
    expect(res.statusCode).toBe(400);
    expect(
      res
        .json()
        .errors.map((e: { field: string }) => e.field)
        .join(' '),
    ).toContain(field);
  });

  it('when exactly 10 parts are sent, then accepted', async () => {
    const res = await post(n(10), { text: 'x'.repeat(1530) });
    expect(res.json()).toMatchObject({ segments: 10 });
  });

  it('when the ICCID or message id is malformed, then 400 naming it', async () => {
    const a = await get('/api/v1/sims/123/sms');
    expect(a.statusCode).toBe(400);
    expect(JSON.stringify(a.json().errors)).toContain('iccid');
    const b = await get(`/api/v1/sims/${n(9)}/sms/not-a-uuid`);
    expect(b.statusCode).toBe(400);
    expect(JSON.stringify(b.json().errors)).toContain('id');
  });
});

describe('operator console: SMSC', () => {
  it('when the operator reads the SMSC, then bound, the URL masked, counters and throughput', async () => {
    await smsc.sendMo(fixtureIds(1, 5).msisdn, 'counted');
    const res = await get('/api/v1/operator/network/smsc', 'operator');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({
      state: 'bound',
      urlSource: 'environment',
      url: `smpp://opencmp:***@127.0.0.1:${smsc.port}`,
    });
    expect(JSON.stringify(body)).not.toContain('secret');
    expect(body.counters.submitted).toBeGreaterThan(0);
    expect(body.counters.mo).toBeGreaterThan(0);
    expect(body.counters.delivered).toBeGreaterThan(0);
  });

  it('when a customer asks for the SMSC, then 403', async () => {
    expect((await get('/api/v1/operator/network/smsc', 'owner')).statusCode).toBe(403);
  });

  it('when the operator sets a bad URL, then 400 naming url; a good one rebinds; null falls back to SMPP_URL', async () => {
    const put = (url: string | null) =>
      h.app.inject({
        method: 'PUT',
        url: '/api/v1/operator/network/smsc',
        headers: as(session('operator')),
        payload: { url },
      });
    const bad = await put('http://nope');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0]).toMatchObject({ field: 'url' });
    const other = await startSmscSimulator({ systemId: 'second', password: 'pw' });
    try {
      const ok = await put(other.url);
      expect(ok.json()).toMatchObject({
        urlSource: 'console',
        url: `smpp://second:***@127.0.0.1:${other.port}`,
      });
      await until(
        async () => other.boundSessions(),
        (b) => b === 1,
      );
      const back = await put(null);
      expect(back.json()).toMatchObject({ urlSource: 'environment' });
      await until(
        async () => runner?.esme.state,
        (st) => st === 'bound' && smsc.boundSessions() === 1,
      );
    } finally {
      await other.stop();
    }
  });
});
