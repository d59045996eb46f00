/** Delivers pending outbox mails over SMTP, with retries; runs in the worker role. */
import nodemailer from 'nodemailer';
import type { AppContext } from '../context.js';
import { claimDueMails, markMail } from '../modules/mail/mail.repository.js';
import { reportFailure } from './periodic.js';

const maxAttempts = 8;

/** Send what is due once; returns how many mails were attempted. */
export async function sendDueMails(ctx: AppContext, transport: nodemailer.Transporter): Promise<number> {
  const mails = await claimDueMails(ctx.db, ctx.clock.now(), 20);
  for (const mail of mails) {
    try {
      await transport.sendMail({
        from: ctx.config.MAIL_FROM,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
      });
      await markMail(ctx.db, mail.id, {
        status: 'sent',
        sentAt: ctx.clock.now(),
        error: null,
        nextAttemptAt: null,
      });
    } catch (err) {
      const failed = mail.attempts >= maxAttempts;
      const backoff = 30_000 * 2 ** Math.min(mail.attempts, 10);
      await markMail(ctx.db, mail.id, {
        status: failed ? 'failed' : 'pending',
        error: (err as Error).message.slice(0, 500),
        nextAttemptAt: new Date(ctx.clock.now().getTime() + backoff),
      });
    }
  }
  return mails.length;
}

/** Poll the outbox every `intervalMs` while SMTP is configured; returns a stop function. */
export function startMailSender(ctx: AppContext, intervalMs = 2000): () => Promise<void> {
  const url = ctx.config.SMTP_URL;
  if (!url) return async () => {};
  const transport = nodemailer.createTransport(url);
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const tick = () => {
    if (stopped) return;
    running = sendDueMails(ctx, transport)
      .catch(reportFailure('mail sender'))
      .then(() => {
        if (!stopped) timer = setTimeout(tick, intervalMs);
      });
  };
  let timer = setTimeout(tick, 0);
  return async () => {
    stopped = true;
    clearTimeout(timer);
    await running;
    transport.close();
  };
}
