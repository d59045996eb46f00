/**
 * Deletes events, usage, audit log entries and finished bulk jobs (with their per-SIM results) older
 * than the retention period (OPENCMP_RETENTION_MONTHS,
 * 13 by default), per-SIM hourly usage older than OPENCMP_HOURLY_RETENTION_DAYS (31 by default), and
 * settles the parts of concatenated MO SMS that waited too long (sms.mo.ts).
 */
import type { AppContext } from '../context.js';
import { deleteAuditBefore } from '../modules/audit/audit.repository.js';
import { deleteEventsBefore } from '../modules/events/events.repository.js';
import { deleteJobsFinishedBefore } from '../modules/jobs/jobs.repository.js';
import { expireMoParts } from '../modules/sms/sms.mo-parts.js';
import { deleteHourlyUsageBefore, deleteUsageBefore } from '../modules/usage/usage.repository.js';
import { runPeriodically } from './periodic.js';

/** The first instant that is kept. */
export function retentionCutoff(now: Date, months: number): Date {
  const cutoff = new Date(now);
  cutoff.setUTCMonth(cutoff.getUTCMonth() - months);
  return cutoff;
}

/** The first hour whose hourly usage rows are kept: the start of the UTC day `days` days ago. */
export function hourlyRetentionCutoff(now: Date, days: number): Date {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return new Date(today - days * 86_400_000);
}

/** Apply retention once; returns what was deleted. */
export async function applyRetention(ctx: AppContext) {
  const cutoff = retentionCutoff(ctx.clock.now(), ctx.config.OPENCMP_RETENTION_MONTHS);
  const events = await deleteEventsBefore(ctx.db, cutoff);
  const usageDays = await deleteUsageBefore(ctx.db, cutoff.toISOString().slice(0, 10));
  const auditEntries = await deleteAuditBefore(ctx.db, cutoff);
  const jobs = await deleteJobsFinishedBefore(ctx.db, cutoff);
  const hourlyCutoff = hourlyRetentionCutoff(ctx.clock.now(), ctx.config.OPENCMP_HOURLY_RETENTION_DAYS);
  const usageHours = await deleteHourlyUsageBefore(ctx.db, hourlyCutoff);
  const moParts = await expireMoParts(ctx);
  return { cutoff, events, usageDays, auditEntries, jobs, hourlyCutoff, usageHours, moParts };
}

/** Run retention at start and then every hour; returns a stop function. */
export function startRetention(ctx: AppContext, intervalMs = 3_600_000): () => Promise<void> {
  return runPeriodically('retention', () => applyRetention(ctx), intervalMs);
}
