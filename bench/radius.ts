/**
 * Targets (issue "Network integration"), PostgreSQL, load generator on the same machine:
 * (a) Accounting Interim-Updates for 100,000 concurrent sessions ≥ 10,000/s sustained, each
 *     acknowledged after commit, p99 response < 50 ms;
 * (b) Access-Request p99 < 10 ms at 2,000/s.
 * And issue "Usage, volumes…": rollups keep pace with 10,000 accounting records per second — at
 * 10,000/s every Interim is acknowledged, the AAA is less than a second behind when the phase ends,
 * and the Interims' octets are all in the hourly and daily rollups then (`rollupsMet`).
 * The generator (radius-load.ts) sends at a fixed rate from a pool of UDP sockets (256 requests in
 * flight per socket) and times every request from its first transmission to the verified response.
 * Each fixed-rate phase follows two untimed seconds at its rate (the cold start is not the target).
 * Scale with BENCH_RADIUS_SESSIONS, BENCH_RADIUS_SECONDS, BENCH_RADIUS_RATE, BENCH_RADIUS_ACCESS_RATE.
 * BENCH_RADIUS_TIMELINE=1 prints the slowest answer per second of each fixed-rate phase (where spikes are).
 */
import { randomFillSync } from 'node:crypto';
import { AcctStatus, Attr } from '../server/network/radius/attributes.js';
import { computeAccountingAuthenticator, signPacket } from '../server/network/radius/authenticator.js';
import { buildAccessRequest, buildAccountingRequest } from '../server/network/radius/builders.js';
import type { RadiusFields } from '../server/network/radius/fields.js';
import { rollupSums, rollupsMatchOrSay, serverHistogram, serverPercentile } from './aaa-metrics.js';
import { benchClient, benchPassword, cpuMeter, freshPostgres, report, startServer } from './lib.js';
import { RadiusLoad } from './radius-load.js';
import { fleetSql } from './sims.js';

const SECRET = 'bench-radius-secret';
const AUTH_PORT = 3927;
const ACCT_PORT = 3928;

/** Overwrite the 4-octet value of the first attribute of `type` (when present) in an encoded packet. */
function patchAttribute(packet: Buffer, type: number, value: number) {
  for (let offset = 20; offset + 2 <= packet.length; offset += packet[offset + 1] || packet.length) {
    if (packet[offset] === type && packet[offset + 1] === 6) {
      packet.writeUInt32BE(value >>> 0, offset + 2);
      return;
    }
  }
}

function percentile(sorted: Float64Array, p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

const round = (n: number) => Math.round(n * 10) / 10;

interface Run {
  sent: number;
  answered: number;
  timeouts: number;
  rejects: number;
  seconds: number;
  rate: number;
  /** Answers per second in the steady state: those that arrived from the end of the warm-up to the last send. */
  sustained: number;
  p50: number;
  p95: number;
  p99: number;
}

/** Send `make(i, identifier)` at `rate` per second for `seconds`, without waiting for answers; then wait for all. */
async function fixedRate(
  load: RadiusLoad,
  rate: number,
  seconds: number,
  make: (i: number, identifier: number) => Buffer,
): Promise<Run> {
  const run = await load.fixedRate(Math.round(rate * seconds), rate, make);
  if (process.env.BENCH_RADIUS_TIMELINE) {
    // the slowest answer to what was sent in each second
    const timeline: number[] = [];
    run.latencies.forEach((ms, n) => {
      const sec = Math.floor((run.answeredAt[n] ?? 0) - ms / 1000);
      timeline[sec] = Math.max(timeline[sec] ?? 0, ms);
    });
    console.log(
      `slowest answer per second sent (ms): ${Array.from(timeline, (m) => Math.round(m ?? 0)).join(' ')}`,
    );
  }
  const times = Float64Array.from(run.latencies).sort();
  // The overall rate divides by the time to the last answer, so it always reads below the offered
  // rate by the last answers' latency. A steady state is what "sustained" means: answers that came
  // between the end of a warm-up and the last send; if the server falls behind, fewer come.
  const warm = Math.min(2, seconds / 5);
  let steady = 0;
  for (const t of run.answeredAt) if (t >= warm && t <= seconds) steady++;
  return {
    sent: run.sent,
    answered: run.answered,
    timeouts: run.timeouts,
    rejects: run.rejects,
    seconds: round(run.lastAnswer),
    rate: Math.round(run.answered / run.lastAnswer),
    sustained: Math.round(steady / (seconds - warm)),
    p50: round(percentile(times, 50)),
    p95: round(percentile(times, 95)),
    p99: round(percentile(times, 99)),
  };
}

/** Send `count` requests keeping `window` in flight (setup: as fast as the AAA takes them, no timeouts). */
async function closedLoop(
  load: RadiusLoad,
  count: number,
  window: number,
  make: (i: number, identifier: number) => Buffer,
): Promise<{ rate: number; failed: number }> {
  const started = performance.now();
  const run = await load.closedLoop(count, window, make);
  return { rate: Math.round(count / ((performance.now() - started) / 1000)), failed: count - run.answered };
}

/** The identity and radio of bench SIM g (as fleetSql numbers them). */
function simFields(g: number): RadiusFields {
  const imsi = `26288${String(g).padStart(10, '0')}`;
  return {
    userName: imsi,
    imsi,
    callingStationId: `4917${String(g).padStart(10, '0')}`,
    calledStationId: 'iot.opencmp',
    nasIp: '127.0.0.1',
    bearer: g % 3 === 0 ? 'NB-IoT' : g % 3 === 1 ? 'LTE-M' : '4G',
    sgsnMccMnc: '26201',
    imeisv: `35${String(g).padStart(12, '0')}01`,
    userLocation: {
      type: 'TAI+ECGI',
      plmn: { mcc: '262', mnc: '01' },
      tac: 1 + (g % 60000),
      ecgiPlmn: { mcc: '262', mnc: '01' },
      eci: 256 + (g % 1_000_000),
      enbId: 1 + (g % 1_000_000),
      cellId: 0,
    },
  };
}

export async function benchRadius(
  sessions = Number(process.env.BENCH_RADIUS_SESSIONS ?? 100_000),
  seconds = Number(process.env.BENCH_RADIUS_SECONDS ?? 30),
  // 2 % above the target: answers counted in a window of an exactly 10,000/s phase read 9,995–10,013/s
  // by the window's edges alone, so "at least 10,000/s sustained" is shown by offering a little more
  rate = Number(process.env.BENCH_RADIUS_RATE ?? 10_200),
  accessRate = Number(process.env.BENCH_RADIUS_ACCESS_RATE ?? 2_000),
) {
  const db = await freshPostgres();
  // the SIMs first (one per session), then the server, so the AAA starts on a full table
  const server = await startServer(
    {
      DATABASE_URL: db.url,
      OPENCMP_DEMO_PASSWORD: benchPassword,
      DATABASE_POOL_SIZE: '20',
      RADIUS_SECRET: SECRET,
      RADIUS_AUTH_PORT: String(AUTH_PORT),
      RADIUS_ACCT_PORT: String(ACCT_PORT),
      SIMULATOR: '0',
    },
    3926,
  );
  // what the figures time: a NAS's patience, 1 s and two retransmissions
  const measured = { secret: SECRET, sockets: 32, timeoutMs: 1000, retries: 2 };
  const acct = await RadiusLoad.open({ ...measured, port: ACCT_PORT });
  const auth = await RadiusLoad.open({ ...measured, port: AUTH_PORT, sockets: 8 });
  try {
    // one activated SIM per session (fleetSql deactivates every g with g % 10 = 5)
    const gs: number[] = [];
    for (let g = 1; gs.length < sessions; g++) if (g % 10 !== 5) gs.push(g);
    const sql = await benchClient(db.url);
    await sql.query(fleetSql(gs[gs.length - 1] ?? 1));
    await sql.query('ANALYZE sims');
    await sql.end();
    const boot = Date.now().toString(16).toUpperCase();
    const sessionId = (g: number) => `${boot}-${g}`;
    // Packets are built once per session and patched per send (identifier, counters, timestamp,
    // authenticator): building one from fields costs ~100 µs, patching ~5 µs, so the generator
    // keeps up with 10,000/s on a core it shares with the server and PostgreSQL.
    const template = (g: number, status: number) => {
      const fields: RadiusFields = {
        ...simFields(g),
        statusType: status,
        sessionId: sessionId(g),
        framedIp: `10.128.${(g >> 8) & 255}.${g & 255}`,
        eventTimestamp: new Date(),
      };
      if (status !== AcctStatus.Start) {
        fields.inputOctets = 0n;
        fields.outputOctets = 0n;
        fields.sessionTime = 300;
      }
      return buildAccountingRequest({ identifier: 0, secret: SECRET, fields });
    };
    const startTemplates = gs.map((g) => template(g, AcctStatus.Start));
    const interimTemplates = gs.map((g) => template(g, AcctStatus.InterimUpdate));
    const counters = new Float64Array(sessions);
    // Sessions take turns in a shuffled order, the same in every round: a NAS reports each session
    // on that session's own timer, so consecutive ICCIDs (neighbours in the table) do not arrive
    // together. In ICCID order every batch rewrote whole pages of `sims` and `radius_sessions` in one
    // transaction, more new row versions than a page has room for, so no update stayed heap-only.
    const turn = Uint32Array.from({ length: sessions }, (_, n) => n);
    for (let n = sessions - 1; n > 0; n--) {
      const m = Math.floor(Math.random() * (n + 1));
      [turn[n], turn[m]] = [turn[m] as number, turn[n] as number];
    }
    const accounting = (status: number) => (i: number, identifier: number) => {
      const n = turn[i % sessions] as number;
      const base = (status === AcctStatus.Start ? startTemplates : interimTemplates)[n] as Buffer;
      const packet = Buffer.from(base);
      packet[1] = identifier;
      const total = (counters[n] ?? 0) + 1000 + (n % 5000);
      if (status !== AcctStatus.Start) counters[n] = total;
      patchAttribute(packet, Attr.AcctInputOctets, total);
      patchAttribute(packet, Attr.AcctOutputOctets, total * 3);
      patchAttribute(packet, Attr.EventTimestamp, Math.floor(Date.now() / 1000));
      computeAccountingAuthenticator(packet, SECRET).copy(packet, 4);
      return packet;
    };

    // open every session first, as fast as the AAA stores them
    const setup = await RadiusLoad.open({
      port: ACCT_PORT,
      secret: SECRET,
      sockets: 4,
      timeoutMs: 10_000,
      retries: 3,
    });
    const starts = await closedLoop(setup, sessions, 512, accounting(AcctStatus.Start));
    await setup.close();
    // Issue 5: rollups keep pace. They are written in the batch that acknowledges the records
    // (decision 009), so the rollups must have grown by exactly the octets the Interims reported.
    const sql2 = await benchClient(db.url);
    const rollupsBefore = await rollupSums(sql2);
    // The target is the steady state at 10,000/s: as for Access-Requests below, two seconds at the rate
    // first, not timed, take the cold start of the Interim path (JIT, the statements' first plans, the
    // young generation sized to the load) out of the figures; the sustained rate leaves out its own
    // warm-up the same way. The rollups are checked over both.
    const interim = accounting(AcctStatus.InterimUpdate);
    const interimWarm = await fixedRate(acct, rate, 2, interim);
    const warmed = interimWarm.sent;
    const meter = await cpuMeter(server.proc.pid ?? 0, db.url);
    const interimCpu = await meter.start();
    // the generator shares the two cores with what it measures: its own CPU is part of the picture
    const generatorBefore = process.cpuUsage();
    const acctBefore = await serverHistogram(server.url, 'accounting');
    const interims = await fixedRate(acct, rate, seconds, (i, id) => interim(warmed + i, id));
    const acctAfter = await serverHistogram(server.url, 'accounting');
    const interimUsed = await interimCpu();
    // every acknowledged Interim's octets are in the rollups the moment the phase ends: they were
    // written in the transaction whose commit the acknowledgement waited for
    const phaseExact = rollupsMatchOrSay(
      rollupsBefore,
      await rollupSums(sql2),
      counters,
      interimWarm.timeouts + interims.timeouts,
    );
    const generator = process.cpuUsage(generatorBefore);
    await meter.close();
    const perInterim = (s: number) => Math.round((s / Math.max(1, interims.answered)) * 1e6);
    // Access-Requests too are built once per SIM, before the phase, and patched per send: identifier,
    // a fresh request authenticator, the Message-Authenticator (signPacket). Building one from fields
    // costs the generator ~100 µs and much garbage; built as it went, every send of the phase paid it
    // (30,000 sends over 100,000 SIMs: each SIM once), a fifth of a core taken from the server and
    // PostgreSQL, and the generator's own pauses read as the AAA's latency.
    const accessSeconds = Math.max(5, seconds / 2);
    const accessWarmSeconds = 2;
    const accessSim = (i: number) => gs[(i * 7) % sessions] ?? 1;
    const accessTemplates = new Map<number, Buffer>();
    for (let i = 0; i < accessRate * (accessWarmSeconds + accessSeconds); i++) {
      const g = accessSim(i);
      if (!accessTemplates.has(g))
        accessTemplates.set(g, buildAccessRequest({ identifier: 0, secret: SECRET, fields: simFields(g) }));
    }
    const accessRequest = (i: number, identifier: number) => {
      const packet = Buffer.from(accessTemplates.get(accessSim(i)) as Buffer);
      packet[1] = identifier;
      randomFillSync(packet, 4, 16);
      return signPacket(packet, SECRET);
    };
    // The target is the steady state at 2,000/s: two seconds at that rate first, not timed, take the
    // cold start of the Access path (JIT, the generic plan) out of the figures, as the sustained
    // Interim rate leaves out its warm-up. The timed phase then asks for other SIMs than the warm-up.
    const warmCount = accessRate * accessWarmSeconds;
    await fixedRate(auth, accessRate, accessWarmSeconds, accessRequest);
    const accessBefore = await serverHistogram(server.url, 'access');
    const access = await fixedRate(auth, accessRate, accessSeconds, (i, id) =>
      accessRequest(warmCount + i, id),
    );

    const accessAfter = await serverHistogram(server.url, 'access');

    // Capacity (issue 5): as many Interims as the AAA takes, 2,048 in flight, for as many records as
    // half the fixed-rate phase sent. A closed loop never outruns the server, so its rate is what the
    // batches, rollups included, can store per second on this machine, load generator included.
    const capacityCount = Math.round((rate * seconds) / 2);
    const capacity = await closedLoop(acct, capacityCount, 2048, (i, id) =>
      interim(warmed + interims.sent + i, id),
    );
    const rollupsExact =
      phaseExact && rollupsMatchOrSay(rollupsBefore, await rollupSums(sql2), counters, capacity.failed);
    await sql2.end();
    let reportedUp = 0;
    for (const c of counters) reportedUp += c;
    // Issue 5: the rollups keep pace with 10,000 records/s when the fixed-rate phase offered that
    // many, every one was acknowledged (so its usage was rolled up in the same commit) and exactly
    // rolled up, and the last answer came within a second of the last send: whatever backlog the AAA
    // had at the end was under a second of traffic. The response time is issue 4's target (`met`).
    const keptPace =
      rate >= 10_000 &&
      interims.answered === interims.sent &&
      interims.timeouts === 0 &&
      interims.seconds <= seconds + 1 &&
      rollupsExact &&
      sessions >= 100_000;
    report('radius', {
      sessions,
      startsPerSecond: starts.rate,
      startsFailed: starts.failed,
      interimTargetPerSecond: rate,
      interimSent: interims.sent,
      interimAcked: interims.answered,
      interimTimeouts: interims.timeouts,
      interimPerSecond: interims.rate,
      interimSustainedPerSecond: interims.sustained,
      interimCapacityPerSecond: capacity.rate,
      interimCapacityFailed: capacity.failed,
      rollupBytesReported: 4 * reportedUp,
      rollupsExact,
      interimP50Ms: interims.p50,
      interimP95Ms: interims.p95,
      interimP99Ms: interims.p99,
      // the same answers timed by the AAA itself, from reading the request to sending the reply
      interimServerP50Ms: serverPercentile(acctBefore, acctAfter, 50),
      interimServerP99Ms: serverPercentile(acctBefore, acctAfter, 99),
      // CPU per stored Interim (µs): server process and its PostgreSQL backends — stable on a busy machine
      interimServerCpuUs: perInterim(interimUsed.server),
      interimDatabaseCpuUs: perInterim(interimUsed.database),
      interimGeneratorCpuUs: perInterim((generator.user + generator.system) / 1e6),
      accessTargetPerSecond: accessRate,
      accessSent: access.sent,
      accessAnswered: access.answered,
      accessRejects: access.rejects,
      accessTimeouts: access.timeouts,
      accessPerSecond: access.rate,
      accessP50Ms: access.p50,
      accessP95Ms: access.p95,
      accessP99Ms: access.p99,
      accessServerP50Ms: serverPercentile(accessBefore, accessAfter, 50),
      accessServerP99Ms: serverPercentile(accessBefore, accessAfter, 99),
      retransmits: acct.retransmits + auth.retransmits,
      interimLastAnswerSeconds: interims.seconds,
      // issue 5: the rollups keep pace with 10,000 records/s (every record acknowledged and rolled up)
      rollupsMet: keptPace && capacity.failed === 0,
      // issue 4: the same rate, and each acknowledged within 50 ms at p99; Access-Requests within 10 ms
      met:
        interims.sustained >= 10_000 &&
        interims.timeouts === 0 &&
        interims.p99 < 50 &&
        access.p99 < 10 &&
        access.timeouts === 0 &&
        sessions >= 100_000,
    });
  } finally {
    await acct.close();
    await auth.close();
    await server.stop();
    await db.drop();
  }
}
