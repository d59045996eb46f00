import { createServer as createNetServer } from 'node:net';
import { eq } from 'drizzle-orm';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailOutbox } from '../../db/schema/index.js';
import { sendDueMails } from '../../jobs/mail-sender.js';
import { as, createHarness, type Harness, type Session, seedFixtures, signIn } from '../../test/harness.js';

/** A message the SMTP sink accepted. */
interface Received {
  from: string;
  to: string[];
  raw: string;
}

const received: Received[] = [];
let sink: SMTPServer;
let sinkUrl: string;
let h: Harness;

/** Listen on a free port of 127.0.0.1 and return it. */
function listen(server: SMTPServer): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.server.address();
      resolve(typeof address === 'object' && address ? address.port : 0);
    });
  });
}

/** A port nothing listens on. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createNetServer().listen(0, '127.0.0.1', () => {
      const address = s.address();
      s.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Undo quoted-printable soft breaks and escapes (UTF-8). */
function decodeQuotedPrintable(s: string): string {
  const bytes = s.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, hex: string) => `%${hex}`);
  return decodeURIComponent(bytes.replace(/%(?![0-9A-F]{2})/g, '%25'));
}

/** The decoded Subject header of a raw message (RFC 2047 encoded words, Q or B). */
function subjectOf(raw: string): string {
  const header = raw.split(/\r?\n\r?\n/)[0] ?? '';
  const line = header.replace(/\r?\n[ \t]+/g, ' ').match(/^Subject: (.*)$/im)?.[1] ?? '';
  return line
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?utf-8\?([QB])\?([^?]*)\?=/gi, (_m, enc: string, text: string) =>
      enc.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64').toString('utf8')
        : decodeQuotedPrintable(text.replace(/_/g, ' ')),
    );
}

/** The decoded body of a raw single-part message. */
function bodyOf(raw: string): string {
  const [header = '', ...rest] = raw.split(/\r?\n\r?\n/);
  const body = rest.join('\n\n');
  if (/content-transfer-encoding:\s*quoted-printable/i.test(header)) return decodeQuotedPrintable(body);
  if (/content-transfer-encoding:\s*base64/i.test(header))
    return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  return body;
}

async function outboxFor(harness: Harness, to: string) {
  return harness.ctx.db.select().from(mailOutbox).where(eq(mailOutbox.to, to));
}

const forgot = (harness: Harness, email: string) =>
  harness.app.inject({ method: 'POST', url: '/api/v1/auth/password/forgot', payload: { email } });

beforeAll(async () => {
  sink = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  sinkUrl = `smtp://127.0.0.1:${await listen(sink)}`;
  h = await createHarness({ SMTP_URL: sinkUrl });
  await seedFixtures(h.ctx);
});

afterAll(async () => {
  await h?.close();
  await new Promise<void>((resolve) => sink.close(() => resolve()));
});

describe('delivery over SMTP', () => {
  it('when a password reset is asked for, then the mail waits in the outbox as pending and the sender delivers it', async () => {
    expect((await forgot(h, 'owner@demo.example')).statusCode).toBe(202);
    const [queued] = await outboxFor(h, 'owner@demo.example');
    expect(queued).toMatchObject({
      status: 'pending',
      attempts: 0,
      template: 'password-reset',
      language: 'en',
    });
    const token = queued?.text.match(/token=([\w-]+)/)?.[1];
    expect(token).toBeDefined();

    const transport = nodemailer.createTransport(sinkUrl);
    try {
      expect(await sendDueMails(h.ctx, transport)).toBe(1);
    } finally {
      transport.close();
    }

    expect(received).toHaveLength(1);
    const [message] = received;
    expect(message?.to).toEqual(['owner@demo.example']);
    expect(message?.from).toBe('no-reply@opencmp.local');
    expect(subjectOf(message?.raw ?? '')).toBe('Reset your OpenCMP password');
    expect(bodyOf(message?.raw ?? '')).toContain(`${h.ctx.config.publicUrl}/reset-password?token=${token}`);

    const [sent] = await outboxFor(h, 'owner@demo.example');
    expect(sent).toMatchObject({ status: 'sent', attempts: 1, error: null });
    expect(sent?.sentAt).toBeInstanceOf(Date);
  });

  it('when nothing is due, then the sender sends nothing', async () => {
    const transport = nodemailer.createTransport(sinkUrl);
    try {
      expect(await sendDueMails(h.ctx, transport)).toBe(0);
    } finally {
      transport.close();
    }
    expect(received).toHaveLength(1);
  });

  it('when the SMTP server is down, then the mail stays pending with the error and one attempt', async () => {
    await forgot(h, 'admin@demo.example');
    const transport = nodemailer.createTransport(`smtp://127.0.0.1:${await closedPort()}`);
    try {
      expect(await sendDueMails(h.ctx, transport)).toBe(1);
    } finally {
      transport.close();
    }
    const [row] = await outboxFor(h, 'admin@demo.example');
    expect(row).toMatchObject({ status: 'pending', attempts: 1, sentAt: null });
    expect(row?.error).toEqual(expect.stringMatching(/\S/));
    expect(row?.nextAttemptAt?.getTime()).toBeGreaterThan(h.ctx.clock.now().getTime());
    expect(received).toHaveLength(1);
  });

  it('when the server is back but the retry is not yet due, then nothing is sent; after the back-off it is delivered', async () => {
    const transport = nodemailer.createTransport(sinkUrl);
    try {
      expect(await sendDueMails(h.ctx, transport)).toBe(0);
      h.clock.advance(5 * 60_000 + 1000);
      expect(await sendDueMails(h.ctx, transport)).toBe(1);
    } finally {
      transport.close();
    }
    expect(received.at(-1)?.to).toEqual(['admin@demo.example']);
    const [row] = await outboxFor(h, 'admin@demo.example');
    expect(row).toMatchObject({ status: 'sent', attempts: 2, error: null });
  });

  it('when the user speaks German, then the mail is German', async () => {
    await forgot(h, 'owner@logistics.demo.example');
    const [row] = await outboxFor(h, 'owner@logistics.demo.example');
    expect(row).toMatchObject({
      language: 'de',
      subject: 'OpenCMP-Passwort zurücksetzen',
      status: 'pending',
    });
    expect(row?.text).toMatch(/^Hallo Lena,/);
    const transport = nodemailer.createTransport(sinkUrl);
    try {
      await sendDueMails(h.ctx, transport);
    } finally {
      transport.close();
    }
    const message = received.at(-1);
    expect(message?.to).toEqual(['owner@logistics.demo.example']);
    expect(subjectOf(message?.raw ?? '')).toBe('OpenCMP-Passwort zurücksetzen');
    expect(bodyOf(message?.raw ?? '')).toContain('Zurücksetzen des Passworts');
  });
});

describe('without SMTP', () => {
  let stored: Harness;
  let operator: Session;

  beforeAll(async () => {
    stored = await createHarness();
    await seedFixtures(stored.ctx);
    operator = await signIn(stored.app, 'operator@provider.example');
  });
  afterAll(() => stored?.close());

  const list = (s: Session, query = '') =>
    stored.app.inject({ method: 'GET', url: `/api/v1/operator/mails${query}`, headers: as(s) });

  it('when a reset is asked for, then the mail is stored and the sender leaves it alone', async () => {
    await forgot(stored, 'admin@demo.example');
    const [row] = await outboxFor(stored, 'admin@demo.example');
    expect(row).toMatchObject({ status: 'stored', attempts: 0 });
    const before = received.length;
    const transport = nodemailer.createTransport(sinkUrl);
    try {
      expect(await sendDueMails(stored.ctx, transport)).toBe(0);
    } finally {
      transport.close();
    }
    expect(received).toHaveLength(before);
  });

  it('when the operator lists the outbox, then mails come newest first with total and paging', async () => {
    await forgot(stored, 'user@demo.example');
    await forgot(stored, 'readonly@demo.example');
    const all = await list(operator);
    expect(all.statusCode).toBe(200);
    expect(all.json()).toMatchObject({ total: 3, page: 1, pageSize: 50 });
    expect(all.json().items.map((m: { to: string }) => m.to)).toEqual([
      'readonly@demo.example',
      'user@demo.example',
      'admin@demo.example',
    ]);
    expect(all.json().items[0]).toMatchObject({
      subject: 'Reset your OpenCMP password',
      template: 'password-reset',
      language: 'en',
      status: 'stored',
      sentAt: null,
      error: null,
    });
    expect(all.json().items[0].text).toContain('/reset-password?token=');

    const first = await list(operator, '?page=1&pageSize=2');
    expect(first.json()).toMatchObject({ total: 3, page: 1, pageSize: 2 });
    expect(first.json().items.map((m: { to: string }) => m.to)).toEqual([
      'readonly@demo.example',
      'user@demo.example',
    ]);
    const second = await list(operator, '?page=2&pageSize=2');
    expect(second.json()).toMatchObject({ total: 3, page: 2, pageSize: 2 });
    expect(second.json().items.map((m: { to: string }) => m.to)).toEqual(['admin@demo.example']);
  });

  it('when the operator filters by recipient, then only matching mails and their total come back', async () => {
    const res = await list(operator, '?to=USER%40demo');
    expect(res.statusCode).toBe(200);
    expect(res.json().total).toBe(1);
    expect(res.json().items.map((m: { to: string }) => m.to)).toEqual(['user@demo.example']);
    const none = await list(operator, `?to=${encodeURIComponent('%')}`);
    expect(none.json()).toMatchObject({ total: 0, items: [] });
  });

  it('when the recipient filter holds a NUL byte, then 400 names to rather than a server error', async () => {
    const res = await list(operator, '?to=%00');
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.map((e: { field: string }) => e.field)).toContain('to');
  });

  it('when a customer owner asks for the outbox, then 403', async () => {
    const owner = await signIn(stored.app, 'owner@demo.example');
    const res = await list(owner);
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('forbidden');
  });

  it('when pageSize is 501, then 400 names pageSize', async () => {
    const res = await list(operator, '?pageSize=501');
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.map((e: { field: string }) => e.field)).toContain('pageSize');
  });

  it('when page is 0, then 400 names page', async () => {
    const res = await list(operator, '?page=0');
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.map((e: { field: string }) => e.field)).toContain('page');
  });
});
