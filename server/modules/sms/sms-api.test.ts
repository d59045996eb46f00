/** SMS API: the MT sender, SMS volume, roles and input validation, and the operator console's SMSC. */

import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { eventTypes } from '../../../contracts/events.js';
import { orgSettings, simEvents, sims, simUsageDays, smsMessages } from '../../db/schema/index.js';
import { startSmscSimulator } from '../../network/simulator/smsc.js';
import { renderFieldError, renderProblem } from '../../test/error-text.js';
import { fixtureIds } from '../../test/fleet.js';
import { as, type Harness } from '../../test/harness.js';
import {
  del,
  foreign,
  get,
  h,
  message,
  n,
  post,
  runner,
  session,
  simRow,
  smsc,
  smsFixture,
  until,
} from '../../test/sms-fixture.js';
import { orgMonthToDate } from '../config/config.repository.js';

smsFixture();

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
    expect(await h.ctx.db.select().from(simUsageDays).where(eq(simUsageDays.iccid, iccid))).toHaveLength(0);

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

  it("when the organisation's monthly MT SMS limit is reached, then 409 saying so in the reader's language, and nothing is stored", async () => {
    // a SIM no other test of this file sends to; the month is the server's (its clock)
    const iccid = n(12);
    const orgId = (await simRow(iccid))?.orgId ?? '';
    await h.ctx.db.insert(orgSettings).values({ orgId, smsMtLimit: 0 });
    try {
      const before = await h.ctx.db.select().from(smsMessages).where(eq(smsMessages.iccid, iccid));
      const usedBefore = (await simRow(iccid))?.smsUsed;
      const res = await post(iccid, { text: 'over the limit' });
      expect(res.statusCode).toBe(409);
      const month = h.clock.now().toISOString().slice(0, 7);
      expect(res.json()).toMatchObject({
        code: 'sms_limit_reached',
        errors: [{ field: 'text', reason: 'sms_mt_monthly_limit', params: { month } }],
      });
      expect(res.json().detail).toContain(`monthly MT SMS limit for ${month} is reached`);
      // what the SMS tab shows next to the text, and the notification
      expect(renderFieldError('de', res.json().errors[0])).toBe(
        `Das monatliche Limit der Organisation für MT-SMS ist für ${month} erreicht (Konfiguration → Monatslimits).`,
      );
      expect(renderProblem('de', res.json())).toBe(
        'Das monatliche MT-SMS-Limit der Organisation lässt diese Nachricht nicht zu.',
      );
      expect(await h.ctx.db.select().from(smsMessages).where(eq(smsMessages.iccid, iccid))).toHaveLength(
        before.length,
      );
      expect((await simRow(iccid))?.smsUsed).toBe(usedBefore);
    } finally {
      await h.ctx.db.delete(orgSettings).where(eq(orgSettings.orgId, orgId));
    }
  });

  it('when a message has more parts than the monthly MT SMS limit has left, then 409 and nothing is stored; one that fits is sent', async () => {
    const iccid = n(12);
    const orgId = (await simRow(iccid))?.orgId ?? '';
    // what the organisation sent this month, read as the limit check reads it
    const today = h.clock.now().toISOString().slice(0, 10);
    const month = today.slice(0, 7);
    const mtd = await orgMonthToDate(h.ctx.db, orgId, `${month}-01`, today);
    // one part left this month
    await h.ctx.db.insert(orgSettings).values({ orgId, smsMtLimit: mtd.smsMt + 1 });
    try {
      const before = await h.ctx.db.select().from(smsMessages).where(eq(smsMessages.iccid, iccid));
      const res = await post(iccid, { text: 'y'.repeat(200) });
      expect(res.statusCode).toBe(409);
      expect(res.json().errors[0]).toMatchObject({
        reason: 'sms_mt_monthly_limit_short',
        params: { month, left: 1, need: 2 },
      });
      expect(renderFieldError('de', res.json().errors[0])).toBe(
        `Diese Nachricht braucht 2 SMS, vom monatlichen MT-SMS-Limit der Organisation für ${month} sind aber nur 1 übrig. Kürzen Sie sie.`,
      );
      expect(await h.ctx.db.select().from(smsMessages).where(eq(smsMessages.iccid, iccid))).toHaveLength(
        before.length,
      );
      expect((await post(iccid, { text: 'fits' })).statusCode).toBe(202);
    } finally {
      await h.ctx.db.delete(orgSettings).where(eq(orgSettings.orgId, orgId));
    }
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
    expect(res.json()).toMatchObject({ reason: 'sms_sim_not_activated', params: { status: 'deactivated' } });
    expect(renderProblem('en', res.json())).toBe(res.json().detail);
  });

  it.each([
    ['an empty text', { text: '' }, 'text'],
    ['a blank text', { text: '   \n ' }, 'text'],
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
      url: `smpp://opencmp:***@127.0.0.1:${smsc.port}?receipt_zone=America/Bogota`,
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
    expect(bad.json().errors[0]).toMatchObject({ field: 'url', reason: 'smsc_url_invalid' });
    const zone = await put('smpp://a:b@127.0.0.1:2775?receipt_zone=Mars/Base');
    expect(zone.statusCode).toBe(400);
    expect(zone.json().errors[0]).toMatchObject({
      field: 'url',
      reason: 'smsc_url_invalid',
      message: expect.stringContaining('receipt_zone Mars/Base is not a time zone'),
    });
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
