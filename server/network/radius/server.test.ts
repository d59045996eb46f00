import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { eventTypes } from '../../../contracts/events.js';
import { selectRows } from '../../db/client.js';
import { orgSettings, radiusSessions } from '../../db/schema/index.js';
import { refreshNotedDataLeft } from '../../modules/usage/data-left.js';
import { addUsage } from '../../modules/usage/usage.repository.js';
import { renderEvent } from '../../test/event-text.js';
import { as } from '../../test/harness.js';
import { aaaFixture, G, MB, SECRET } from './aaa.fixture.js';
import { AcctStatus } from './attributes.js';
import { buildAccessRequest, buildAccountingRequest } from './builders.js';
import { RadiusCode } from './packet.js';
import { TestNas } from './testkit.js';

const f = aaaFixture();
const { imsi, iccid, setSim, simRow, eventsOf, access, acct, sendAcct, sendAuth, session } = f;

describe('Access-Request', () => {
  it('when an activated SIM with volume asks, then Access-Accept carries its static IP and the interim interval', async () => {
    const reply = await sendAuth(access(1));
    expect(reply?.code).toBe(RadiusCode.AccessAccept);
    expect(reply?.framedIp).toBe((await simRow(1)).ipAddress);
    expect(reply?.interimInterval).toBe(60);
  });

  it('when the SIM is found by User-Name only, then it is accepted as well', async () => {
    const packet = buildAccessRequest({
      identifier: f.testNas().nextId(),
      secret: SECRET,
      fields: { userName: imsi(2) },
    });
    expect((await sendAuth(packet))?.code).toBe(RadiusCode.AccessAccept);
  });

  it.each([
    ['IMSI_NOT_FOUND', 0, {}],
    ['SIM_DEACTIVATED', 3, { status: 'deactivated' as const }],
    ['QUOTA_EXPIRED', 4, { endOfLife: new Date(Date.now() - 86_400_000) }],
    ['QUOTA_EXHAUSTED', 5, { dataUsed: 500 * MB }],
  ])(
    'when the cause is %s, then Access-Reject names it and an event records it',
    async (cause, n, change) => {
      if (n > 0) await setSim(n, change);
      const reply = await sendAuth(access(n > 0 ? n : '262990009999999'));
      expect(reply?.code).toBe(RadiusCode.AccessReject);
      expect(reply?.replyMessage).toBe(cause);
      expect(f.server().counters.get(`rejects.${cause}`)).toBeGreaterThan(0);
      if (n > 0) {
        const [e] = await eventsOf(n, eventTypes.authenticationFailed);
        expect(e?.details).toMatchObject({ cause });
        expect(e?.source).toBe('network');
      }
    },
  );

  it('when the per-SIM monthly data cap is used up, then MONTHLY_USAGE_LIMIT_EXCEEDED; a SIM under it is accepted', async () => {
    const sim = await simRow(7);
    const orgId = sim.orgId ?? '';
    const day = new Date().toISOString().slice(0, 10);
    await addUsage(f.harness().ctx.db, [
      {
        orgId,
        iccid: iccid(7),
        day,
        hour: new Date().getUTCHours(),
        dataUp: 0,
        dataDown: 2 * MB,
        smsMo: 0,
        smsMt: 0,
      },
    ]);
    await f.harness().ctx.db.insert(orgSettings).values({ orgId, simDataLimitBytes: MB });
    try {
      const over = await sendAuth(access(7));
      expect(over?.code).toBe(RadiusCode.AccessReject);
      expect(over?.replyMessage).toBe('MONTHLY_USAGE_LIMIT_EXCEEDED');
      expect((await sendAuth(access(8)))?.code).toBe(RadiusCode.AccessAccept);
    } finally {
      await f.harness().ctx.db.delete(orgSettings).where(eq(orgSettings.orgId, orgId));
    }
    expect((await sendAuth(access(7)))?.code).toBe(RadiusCode.AccessAccept);
  });

  it('when the IMEI lock has no IMEI yet, then the first attach binds it and another device is refused', async () => {
    await setSim(6, { imeiLock: true, lockedImei: null });
    const first = await sendAuth(access(6, { imeisv: '4901542032375101' }));
    expect(first?.code).toBe(RadiusCode.AccessAccept);
    expect((await simRow(6)).lockedImei).toBe('490154203237518');
    const [bound] = await eventsOf(6, eventTypes.imeiLockChanged);
    expect(bound?.description).toBe('IMEI lock bound to IMEI 490154203237518 at the first attach');
    if (!bound) throw new Error('no event');
    expect(renderEvent('en', bound)).toBe(bound.description);
    expect(renderEvent('de', bound)).toBe(
      'IMEI-Sperre beim ersten Verbindungsaufbau an IMEI 490154203237518 gebunden',
    );
    const same = await sendAuth(access(6, { imeisv: '4901542032375102' }));
    expect(same?.code).toBe(RadiusCode.AccessAccept);
    const other = await sendAuth(access(6, { imeisv: '3520990017614801' }));
    expect(other?.code).toBe(RadiusCode.AccessReject);
    expect(other?.replyMessage).toBe('IMEI_LOCK_BREACHED');
    expect((await simRow(6)).sessionState).toBe('blocked');
  });

  it('when a refused SIM keeps asking, then its last seen follows, at most once a minute', async () => {
    const { clock } = f.harness();
    const refused = () => sendAuth(access(6, { imeisv: '3520990017614801' })); // the IMEI lock above
    clock.advance(120_000);
    const t0 = clock.now();
    expect((await refused())?.code).toBe(RadiusCode.AccessReject);
    expect((await simRow(6)).lastSeenAt).toEqual(t0);
    clock.advance(30_000);
    await refused();
    expect((await simRow(6)).lastSeenAt).toEqual(t0);
    clock.advance(31_000);
    await refused();
    expect((await simRow(6)).lastSeenAt).toEqual(clock.now());
    expect((await simRow(6)).sessionState).toBe('blocked');
  });
});

describe('Accounting', () => {
  it('when a session starts, is updated with Gigawords and stops, then usage is the growth of the cumulative counters', async () => {
    const before = (await simRow(7)).dataUsed;
    const start = await sendAcct(
      acct(AcctStatus.Start, 7, 'S7', {
        framedIp: '10.70.0.7',
        imeisv: '3520990017614801',
        ratType: 6,
        sgsnMccMnc: '26201',
        userLocation: {
          type: 'TAI+ECGI',
          plmn: { mcc: '262', mnc: '01' },
          tac: 6699,
          ecgiPlmn: { mcc: '262', mnc: '01' },
          eci: 19088743,
          enbId: 74565,
          cellId: 103,
        },
      }),
    );
    expect(start?.code).toBe(RadiusCode.AccountingResponse);
    let sim = await simRow(7);
    expect(sim).toMatchObject({
      sessionState: 'online',
      imei: '352099001761481',
      bearer: '4G',
      mccMnc: '26201',
      operatorName: 'Telekom Deutschland',
      country: 'DE',
      cell: '26201-6699-19088743',
    });
    expect(await eventsOf(7, eventTypes.createPdpContext)).toHaveLength(1);
    expect(await eventsOf(7, eventTypes.updateLocation)).toHaveLength(1);
    expect(await eventsOf(7, eventTypes.updateGprsLocation)).toHaveLength(1);
    // 1 GiB + 100 in, 2^32 + 5 out: counters cross the 32-bit boundary
    await sendAcct(acct(AcctStatus.InterimUpdate, 7, 'S7', { inputOctets: 1000n, outputOctets: 2000n }));
    const interim = acct(AcctStatus.InterimUpdate, 7, 'S7', {
      inputOctets: BigInt(G) + 100n,
      outputOctets: 2n * BigInt(G) + 5n,
      sgsnMccMnc: '23201',
    });
    expect((await sendAcct(interim))?.code).toBe(RadiusCode.AccountingResponse);
    // the same datagram again (retransmit) and the same counters under a new identifier (duplicate)
    expect((await sendAcct(interim))?.code).toBe(RadiusCode.AccountingResponse);
    await sendAcct(
      acct(AcctStatus.InterimUpdate, 7, 'S7', {
        inputOctets: BigInt(G) + 100n,
        outputOctets: 2n * BigInt(G) + 5n,
      }),
    );
    sim = await simRow(7);
    expect(sim.dataUsed - before).toBe(G + 100 + 2 * G + 5);
    expect(sim.operatorName).toBe('A1 Telekom Austria');
    expect(await eventsOf(7, eventTypes.updateLocation)).toHaveLength(2);
    const [updated] = await eventsOf(7, eventTypes.updatePdpContext);
    expect(updated?.description).toBe('Data session updated: operator A1 Telekom Austria');
    // what changed, for the portal's text in the reader's language (contracts/event-text.ts)
    expect(updated?.details).toMatchObject({ changed: { operator: 'A1 Telekom Austria' } });
    const stop = await sendAcct(
      acct(AcctStatus.Stop, 7, 'S7', {
        inputOctets: BigInt(G) + 300n,
        outputOctets: 2n * BigInt(G) + 5n,
        terminateCause: 1,
      }),
    );
    expect(stop?.code).toBe(RadiusCode.AccountingResponse);
    // an Interim (and a Stop) after the Stop counts nothing
    await sendAcct(
      acct(AcctStatus.InterimUpdate, 7, 'S7', { inputOctets: 9n * BigInt(G), outputOctets: 0n }),
    );
    await sendAcct(acct(AcctStatus.Stop, 7, 'S7', { inputOctets: 9n * BigInt(G), outputOctets: 0n }));
    sim = await simRow(7);
    expect(sim.dataUsed - before).toBe(G + 300 + 2 * G + 5);
    expect(sim.sessionState).toBe('offline');
    const [deleted] = await eventsOf(7, eventTypes.deletePdpContext);
    expect(deleted?.details).toMatchObject({ cause: 'User-Request', inputOctets: G + 300 });
    // 3 × 2^32 + 305 octets in a sensible unit
    expect(deleted?.description).toBe('Data session ended (User-Request): 12 GB used');
    const [row] = await f
      .harness()
      .ctx.db.select()
      .from(radiusSessions)
      .where(eq(radiusSessions.sessionId, 'S7'));
    expect(row).toMatchObject({ inputOctets: G + 300, outputOctets: 2 * G + 5, stopCause: 'User-Request' });
    expect(row?.stoppedAt).not.toBeNull();
    expect(f.server().counters.get('accounting.ignored')).toBeGreaterThanOrEqual(2);
    // the accounting noted the SIM for the refresh of the sort by data left (decision 022)
    const { ctx } = f.harness();
    const keyOf = async () =>
      (
        await selectRows<{ left: string }>(
          ctx.db,
          sql`SELECT data_left::text AS left FROM sim_data_left WHERE iccid = ${iccid(7)}`,
        )
      )[0]?.left;
    expect(Number(await keyOf())).not.toBe(sim.dataTotal - sim.dataUsed);
    expect(await refreshNotedDataLeft(ctx.database)).toBeGreaterThanOrEqual(1);
    expect(Number(await keyOf())).toBe(sim.dataTotal - sim.dataUsed);
  });

  it('when Interims keep coming, then last seen follows: with usage at once, without at most a minute behind', async () => {
    const { clock } = f.harness();
    expect((await sendAcct(acct(AcctStatus.Start, 4, 'S4-seen', {})))?.code).toBe(
      RadiusCode.AccountingResponse,
    );
    // usage is written with the SIM's last seen, in the same row version
    clock.advance(10_000);
    await sendAcct(acct(AcctStatus.InterimUpdate, 4, 'S4-seen', { inputOctets: 10n, outputOctets: 0n }));
    const used = clock.now();
    expect((await simRow(4)).lastSeenAt).toEqual(used);
    // no usage: last seen waits until it is a minute old
    clock.advance(30_000);
    await sendAcct(acct(AcctStatus.InterimUpdate, 4, 'S4-seen', { inputOctets: 10n, outputOctets: 0n }));
    expect((await simRow(4)).lastSeenAt).toEqual(used);
    clock.advance(31_000);
    await sendAcct(acct(AcctStatus.InterimUpdate, 4, 'S4-seen', { inputOctets: 10n, outputOctets: 0n }));
    expect((await simRow(4)).lastSeenAt).toEqual(clock.now());
    expect((await simRow(4)).sessionState).toBe('online');
  });

  it('when usage crosses 20 % left and then exhausts the volume, then each raises one event and a disconnect is queued', async () => {
    await setSim(8, { dataUsed: 390 * MB });
    await sendAcct(acct(AcctStatus.Start, 8, 'S8'));
    await sendAcct(
      acct(AcctStatus.InterimUpdate, 8, 'S8', { inputOctets: BigInt(20 * MB), outputOctets: 0n }),
    );
    await sendAcct(
      acct(AcctStatus.InterimUpdate, 8, 'S8', { inputOctets: BigInt(30 * MB), outputOctets: 0n }),
    );
    expect(await eventsOf(8, eventTypes.dataThreshold)).toHaveLength(1);
    await sendAcct(
      acct(AcctStatus.InterimUpdate, 8, 'S8', { inputOctets: BigInt(120 * MB), outputOctets: 0n }),
    );
    await sendAcct(
      acct(AcctStatus.InterimUpdate, 8, 'S8', { inputOctets: BigInt(130 * MB), outputOctets: 0n }),
    );
    expect(await eventsOf(8, eventTypes.dataUsedUp)).toHaveLength(1);
    expect(await eventsOf(8, eventTypes.dataThreshold)).toHaveLength(1);
    const queued = await f
      .harness()
      .ctx.database.query<{ reason: string }>(
        sql`SELECT reason FROM disconnect_requests WHERE iccid = ${iccid(8)}`,
      );
    expect(queued.map((q) => q.reason)).toEqual(['exhausted']);
  });

  it('when a NAS sends Accounting-On, then all its open sessions close and the SIMs go offline', async () => {
    await sendAcct(acct(AcctStatus.Start, 9, 'S9'));
    await sendAcct(acct(AcctStatus.Start, 10, 'S10'));
    expect((await simRow(9)).sessionState).toBe('online');
    const on = buildAccountingRequest({
      identifier: f.testNas().nextId(),
      secret: SECRET,
      fields: { statusType: AcctStatus.AccountingOn, nasIp: '127.0.0.1' },
    });
    expect((await sendAcct(on))?.code).toBe(RadiusCode.AccountingResponse);
    expect((await simRow(9)).sessionState).toBe('offline');
    expect((await simRow(10)).sessionState).toBe('offline');
    const [row] = await f
      .harness()
      .ctx.db.select()
      .from(radiusSessions)
      .where(eq(radiusSessions.sessionId, 'S10'));
    expect(row?.stopCause).toBe('Accounting-On');
  });
});

describe('drops', () => {
  it('when packets come from an unknown client, are badly signed or malformed, then they are dropped and counted by reason', async () => {
    expect((await sendAuth(access(1)))?.code).toBe(RadiusCode.AccessAccept);
    const stranger = await TestNas.open(SECRET, '127.0.0.2');
    expect(await stranger.send(f.server().authPort, access(1), 300)).toBeNull();
    await stranger.close();
    expect(await f.testNas().send(f.server().authPort, access(1, {}, 'wrong-secret-9'), 300)).toBeNull();
    const noMa = Buffer.from(access(1));
    noMa[20] = 79; // turn the Message-Authenticator (first attribute) into an unknown type 79
    expect(await f.testNas().send(f.server().authPort, noMa, 300)).toBeNull();
    expect(
      await f.testNas().send(f.server().acctPort, acct(AcctStatus.Start, 1, 'X', {}, 'wrong-secret-9'), 300),
    ).toBeNull();
    expect(await f.testNas().send(f.server().acctPort, Buffer.from([4, 1, 0]), 300)).toBeNull();
    expect(await f.testNas().send(f.server().acctPort, access(1), 300)).toBeNull();
    expect(f.server().counters.get('drops.unknown_client')).toBe(1);
    expect(f.server().counters.get('drops.bad_message_authenticator')).toBe(1);
    expect(f.server().counters.get('drops.missing_message_authenticator')).toBe(1);
    expect(f.server().counters.get('drops.bad_authenticator')).toBe(1);
    expect(f.server().counters.get('drops.short')).toBe(1);
    expect(f.server().counters.get('drops.wrong_code')).toBe(1);
    const metrics = await f.harness().app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toContain('opencmp_radius_drops_total{reason="unknown_client"} 1');
    const status = await f.harness().app.inject({
      method: 'GET',
      url: '/api/v1/operator/network/status',
      headers: as(session('operator')),
    });
    expect(status.statusCode).toBe(200);
    expect(status.json()).toMatchObject({ aaaRunning: true, drops: { unknown_client: 1, short: 1 } });
    expect(status.json().accepts).toBeGreaterThan(0);
  });
});

describe('response times', () => {
  /** The count and sum of opencmp_radius_response_seconds for a kind, as /metrics shows them. */
  const responseTimes = async (kind: string) => {
    const body = (await f.harness().app.inject({ method: 'GET', url: '/metrics' })).body;
    const value = (series: string) =>
      Number(
        body.match(
          new RegExp(`^opencmp_radius_response_seconds_${series}\\{kind="${kind}"\\} (\\S+)$`, 'm'),
        )?.[1] ?? 0,
      );
    return { count: value('count'), sum: value('sum') };
  };

  it('when requests are answered, then /metrics counts each one in the response-time histogram of its kind; a dropped one is not counted', async () => {
    const access0 = await responseTimes('access');
    const accounting0 = await responseTimes('accounting');
    // an Access-Reject is an answer too: SIM 1 is accepted, an unknown IMSI rejected
    expect((await sendAuth(access(1)))?.code).toBe(RadiusCode.AccessAccept);
    expect((await sendAuth(access(1)))?.code).toBe(RadiusCode.AccessAccept);
    expect((await sendAuth(access('262990009999999')))?.code).toBe(RadiusCode.AccessReject);
    expect((await sendAcct(acct(AcctStatus.Start, 9, 'histogram-1')))?.code).toBe(
      RadiusCode.AccountingResponse,
    );
    expect(await f.testNas().send(f.server().authPort, access(1, {}, 'wrong-secret-9'), 300)).toBeNull();
    const access1 = await responseTimes('access');
    const accounting1 = await responseTimes('accounting');
    expect(access1.count - access0.count).toBe(3);
    expect(accounting1.count - accounting0.count).toBe(1);
    // each answer took some time, and less than the test's own timeout
    expect(access1.sum).toBeGreaterThan(access0.sum);
    expect(access1.sum - access0.sum).toBeLessThan(3 * 5);
    const body = (await f.harness().app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(body).toContain('# TYPE opencmp_radius_response_seconds histogram');
    expect(body).toMatch(/^opencmp_radius_response_seconds_bucket\{le="0\.01",kind="access"\} \d+$/m);
    // the operator console: the last minute's answers, with their median and p99
    const status = await f.harness().app.inject({
      method: 'GET',
      url: '/api/v1/operator/network/status',
      headers: as(session('operator')),
    });
    const times = status.json().responseTimes;
    expect(times.access.count).toBeGreaterThanOrEqual(3);
    expect(times.accounting.count).toBeGreaterThanOrEqual(1);
    expect(times.access.p50Ms).toBeGreaterThan(0);
    expect(times.access.p99Ms).toBeGreaterThanOrEqual(times.access.p50Ms);
  });
});
