/** Writes e-mails: every mail lands in the outbox; with SMTP configured the sender job delivers it. */
import type { Language } from '../../../contracts/common.js';
import type { AppContext } from '../../context.js';
import type { Db } from '../../db/client.js';
import { insertMail, type MailRow, pageMails } from './mail.repository.js';
import { renderMail, type TemplateId, type TemplateVars } from './mail.templates.js';

export interface MailRequest {
  to: string;
  template: TemplateId;
  language: Language;
  vars: TemplateVars;
  orgId?: string | null;
}

/** Queue a mail (inside the caller's transaction when `db` is one). */
export async function queueMail(ctx: AppContext, db: Db, req: MailRequest): Promise<MailRow> {
  const { subject, text } = renderMail(req.template, req.language, req.vars);
  return insertMail(db, {
    orgId: req.orgId ?? null,
    to: req.to,
    subject,
    text,
    template: req.template,
    language: req.language,
    status: ctx.config.SMTP_URL ? 'pending' : 'stored',
  });
}

/** A page of the outbox for the operator console. */
export async function listOutbox(ctx: AppContext, q: { page: number; pageSize: number; to?: string }) {
  const { items, total } = await pageMails(ctx.db, q);
  return {
    items: items.map((m) => ({
      id: m.id,
      to: m.to,
      subject: m.subject,
      text: m.text,
      template: m.template,
      language: m.language,
      status: m.status,
      createdAt: m.createdAt.toISOString(),
      sentAt: m.sentAt?.toISOString() ?? null,
      error: m.error,
    })),
    total,
    page: q.page,
    pageSize: q.pageSize,
  };
}
