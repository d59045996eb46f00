import { afterEach, describe, expect, it } from 'vitest';
import type { DeliverSm } from '../../modules/sms/esme-link.js';
import { type SmscSimulator, startSmscSimulator } from '../simulator/smsc.js';
import { encodeSms } from './codec.js';
import { status } from './pdu.js';
import { Esme } from './session.js';
import { type EsmeOptions, SubmitError } from './types.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function simulator(opts: Parameters<typeof startSmscSimulator>[0] = {}): Promise<SmscSimulator> {
  const s = await startSmscSimulator({ receiptDelayMs: 20, ...opts });
  cleanups.push(() => s.stop());
  return s;
}

function esme(url: string, delivered: DeliverSm[] = [], opts: Partial<EsmeOptions> = {}): Esme {
  const e = new Esme({
    url,
    onDeliver: async (d) => {
      delivered.push(d);
      return 0;
    },
    reconnectMinMs: 20,
    reconnectMaxMs: 200,
    throttleMinMs: 20,
    ...opts,
  });
  e.start();
  cleanups.push(() => e.stop());
  return e;
}

const until = async (cond: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
};

const send = (e: Esme, text: string, to = '491701000001') =>
  Promise.all(encodeSms(text, 7).parts.map((part) => e.submit({ destination: to, source: '4900', part })));

describe('ESME and SMSC simulator', () => {
  it('when bound with the right credentials, then a UCS-2 text arrives intact with data_coding 8 and a receipt follows', async () => {
    const smsc = await simulator();
    const receipts: DeliverSm[] = [];
    const e = esme(smsc.url, receipts);
    expect(await e.waitBound()).toBe(true);
    const [id] = await send(e, 'Grüße 😀 Привет');
    expect(smsc.received.at(-1)).toMatchObject({
      text: 'Grüße 😀 Привет',
      dataCoding: 8,
      parts: 1,
      messageIds: [id],
    });
    await until(() => receipts.length === 1);
    expect(receipts[0]).toMatchObject({ receipt: true, receiptedMessageId: id, messageState: 2 });
    expect(receipts[0]?.text).toContain('stat:DELIVRD');
  });

  it('when a three-part message is submitted, then the SMSC reassembles it and sends a receipt per part', async () => {
    const smsc = await simulator();
    const receipts: DeliverSm[] = [];
    const e = esme(smsc.url, receipts);
    await e.waitBound();
    const text = `${'Long message with {braces} and €. '.repeat(12)}end`;
    const ids = await send(e, text);
    expect(ids).toHaveLength(3);
    expect(smsc.received.at(-1)).toMatchObject({ text, parts: 3, dataCoding: 0 });
    await until(() => receipts.length === 3);
    expect(receipts.map((r) => r.receiptedMessageId).sort()).toEqual([...ids].sort());
  });

  it('when the password is wrong, then the bind is refused, the state says why, and it keeps retrying', async () => {
    const smsc = await simulator({ password: 'right' });
    const e = esme(smsc.url.replace(':right@', ':wrong@'));
    await until(() => smsc.stats.bindFailures >= 2);
    expect(e.state).not.toBe('bound');
    expect(e.lastError).toContain('ESME_RINVPASWD');
  });

  it('when the SMSC throttles, then the ESME backs off and resends, and every message gets through once', async () => {
    const smsc = await simulator();
    const e = esme(smsc.url);
    await e.waitBound();
    smsc.throttleNext(5);
    const started = Date.now();
    const ids = await Promise.all(Array.from({ length: 20 }, (_, i) => send(e, `msg ${i}`)));
    expect(ids.flat()).toHaveLength(20);
    expect(new Set(ids.flat()).size).toBe(20);
    expect(smsc.stats.throttled).toBe(5);
    expect(e.status().counters.throttled).toBe(5);
    expect(smsc.received.filter((m) => m.text.startsWith('msg '))).toHaveLength(20);
    expect(Date.now() - started).toBeGreaterThanOrEqual(20); // at least the first back-off
  });

  it('when many messages are submitted, then no more than the window are outstanding at once', async () => {
    const smsc = await simulator();
    const e = esme(smsc.url, [], { window: 4 });
    await e.waitBound();
    let max = 0;
    const all = Promise.all(Array.from({ length: 60 }, (_, i) => send(e, `w ${i}`)));
    const probe = setInterval(() => {
      max = Math.max(max, e.status().window.outstanding);
    }, 0);
    await all;
    clearInterval(probe);
    expect(max).toBeLessThanOrEqual(4);
    expect(e.status().counters.submitted).toBe(60);
  });

  it('when the SMSC drops the connection, then in-flight submits fail as retriable and the ESME binds again', async () => {
    const smsc = await simulator();
    const e = esme(smsc.url);
    await e.waitBound();
    smsc.dropSessions();
    await until(() => e.state !== 'bound');
    await expect(send(e, 'while down')).rejects.toSatisfy(
      (err) => err instanceof SubmitError && err.retriable,
    );
    await until(() => e.state === 'bound');
    expect(smsc.stats.binds).toBe(2);
    expect(e.status().counters.reconnects).toBeGreaterThanOrEqual(1);
    await send(e, 'after reconnect');
    expect(smsc.received.at(-1)?.text).toBe('after reconnect');
  });

  it('when the SMSC sends an MO, then the ESME hands it on decoded and answers it', async () => {
    const smsc = await simulator();
    const got: DeliverSm[] = [];
    const e = esme(smsc.url, got);
    await e.waitBound();
    expect(await smsc.sendMo('491701000001', 'Temp 21°C ok')).toEqual([0]);
    expect(got[0]).toMatchObject({
      receipt: false,
      sourceAddr: '491701000001',
      text: 'Temp 21°C ok',
      destinationAddr: '4900',
    });
  });

  it('when the ESME answers an MO with a temporary status, then the SMSC resends it a bounded number of times; a rejection is final', async () => {
    const smsc = await simulator({ moRetries: 2, moRetryMs: 10 });
    const answers = [status.deliveryFailedTemporary, status.ok];
    const got: DeliverSm[] = [];
    const e = esme(smsc.url, [], {
      onDeliver: async (d) => {
        got.push(d);
        return answers.shift() ?? status.deliveryRejected;
      },
    });
    await e.waitBound();
    expect(await smsc.sendMo('491701000001', 'retried once')).toEqual([status.ok]);
    expect(got).toHaveLength(2);
    expect(smsc.stats).toMatchObject({ moRetries: 1, moRefused: 0 });
    expect(await smsc.sendMo('491701000001', 'rejected')).toEqual([status.deliveryRejected]);
    expect(got).toHaveLength(3);
    expect(smsc.stats).toMatchObject({ moRetries: 1, moRefused: 1 });
    answers.push(...Array(5).fill(status.deliveryFailedTemporary));
    expect(await smsc.sendMo('491701000001', 'never taken')).toEqual([status.deliveryFailedTemporary]);
    expect(got).toHaveLength(6); // the first try and two retries
    expect(smsc.stats).toMatchObject({ moRetries: 3, moRefused: 2 });
  });

  it('when the URL changes, then the ESME leaves the old SMSC and binds to the new one', async () => {
    const a = await simulator();
    const b = await simulator();
    const e = esme(a.url);
    await e.waitBound();
    e.setUrl(b.url);
    await until(() => e.state === 'bound' && b.boundSessions() === 1);
    await until(() => a.boundSessions() === 0);
  });
});
