import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { jobs } from '../../db/schema/index.js';
import { runJobs } from '../../jobs/runner.js';
import { renderFieldError } from '../../test/error-text.js';
import { as } from '../../test/harness.js';
import { mySimsFixture } from './sims.fixture.js';

const f = mySimsFixture();
const { get, session, n } = f;

describe('export', () => {
  it('when a 3rd-party user exports CSV, then every matching SIM is a line, PIN/PUK included', async () => {
    const res = await get('/api/v1/sims/export.csv?q=pump', 'thirdparty');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    const lines = res.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toContain('PUK1');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain(n(1));
    expect(lines[1]).toContain('12345678');
  });

  it('when exporting Excel, then the workbook has a header and one row per SIM', async () => {
    const res = await get('/api/v1/sims/export.xlsx');
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('SIMs');
    expect(sheet?.rowCount).toBe(13);
    expect(sheet?.getRow(1).getCell(1).value).toBe('ICCID');
  });

  it('when a read-only user exports, then 403', async () => {
    expect((await get('/api/v1/sims/export.csv', 'readonly')).statusCode).toBe(403);
  });
});

describe('bulk actions', () => {
  it('when a bulk action names a foreign or unknown SIM, then 400 naming them and nothing is queued or changed', async () => {
    const unknown = `${n(10).slice(0, 12)}9999999`;
    const jobsBefore = await f.harness().ctx.db.select().from(jobs);
    const res = await f.harness().app.inject({
      method: 'POST',
      url: '/api/v1/sims/bulk',
      headers: as(session('admin')),
      payload: { action: 'imeiLockOn', iccids: [n(10), n(11), f.foreign(0), unknown] },
    });
    expect(res.statusCode).toBe(400);
    const [foreign, missing] = [f.foreign(0), unknown].sort();
    expect(res.json().errors).toEqual([
      {
        field: 'iccids',
        message: `2 of the ICCIDs are not SIMs of this organisation: ${foreign}, ${missing}`,
        reason: 'iccids_not_in_org',
        params: { count: 2, examples: `${foreign}, ${missing}` },
      },
    ]);
    // the same words for another organisation's SIM as for none: nothing about it is revealed
    expect(renderFieldError('de', res.json().errors[0])).toBe(
      `2 der ICCIDs sind keine SIMs dieser Organisation: ${foreign}, ${missing}.`,
    );
    expect(await f.harness().ctx.db.select().from(jobs)).toHaveLength(jobsBefore.length);
    await runJobs(f.harness().ctx);
    expect((await get(`/api/v1/sims/${n(10)}`, 'admin')).json().imeiLock).toBe(false);
    expect((await get(`/api/v1/sims/${f.foreign(0)}`, 'other')).json().imeiLock).toBe(false);
  });

  it('when a bulk action lists the 100,000 ICCIDs the contract allows, then the body is taken and each is checked', async () => {
    const iccids = Array.from({ length: 100_000 }, (_, i) => `8949099${String(i).padStart(12, '0')}`);
    const payload = JSON.stringify({ action: 'imeiLockOn', iccids }, null, 1);
    expect(payload.length).toBeGreaterThan(2 * 1024 * 1024);
    const res = await f.harness().app.inject({
      method: 'POST',
      url: '/api/v1/sims/bulk',
      headers: { ...as(session('admin')), 'content-type': 'application/json' },
      payload,
    });
    // past the 1 MiB of other endpoints; refused for its content, not its size
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0]).toMatchObject({
      reason: 'iccids_not_in_org_more',
      params: { count: 100_000, more: 99_995 },
    });
    expect(renderFieldError('de', res.json().errors[0])).toMatch(
      /^100000 der ICCIDs sind keine SIMs dieser Organisation: (\d{19}, ){4}\d{19} und 99995 weitere\.$/,
    );
  });

  it('when a bulk job runs, then another organisation cannot read it', async () => {
    const res = await f.harness().app.inject({
      method: 'POST',
      url: '/api/v1/sims/bulk',
      headers: as(session('admin')),
      payload: { action: 'imeiLockOn', iccids: [n(10), n(11)] },
    });
    expect(res.statusCode).toBe(202);
    await runJobs(f.harness().ctx);
    const job = (await get(`/api/v1/jobs/${res.json().id}`, 'admin')).json();
    expect(job).toMatchObject({ status: 'done', total: 2, processed: 2, succeeded: 2, failed: 0 });
    expect((await get(`/api/v1/jobs/${res.json().id}`, 'other')).statusCode).toBe(404);
  });

  it('when a bulk activation covers an expired SIM, then that SIM fails with the reason', async () => {
    const res = await f.harness().app.inject({
      method: 'POST',
      url: '/api/v1/sims/bulk',
      headers: as(session('owner')),
      payload: { action: 'activate', filter: { status: ['expired', 'deactivated'] } },
    });
    expect(res.statusCode, res.body).toBe(202);
    await runJobs(f.harness().ctx);
    const items = (await get(`/api/v1/jobs/${res.json().id}/items`)).json().items;
    expect(items.find((i: { iccid: string }) => i.iccid === n(3))).toMatchObject({ result: 'error' });
    expect(items.find((i: { iccid: string }) => i.iccid === n(2))).toMatchObject({ result: 'ok' });
  });

  it('when neither or both of iccids and filter are given, then 400', async () => {
    for (const payload of [{ action: 'activate' }, { action: 'activate', iccids: [n(1)], filter: {} }]) {
      const res = await f.harness().app.inject({
        method: 'POST',
        url: '/api/v1/sims/bulk',
        headers: as(session('owner')),
        payload,
      });
      expect(res.statusCode).toBe(400);
    }
  });

  it('when a bulk action is given a filter, then its items are the matching SIMs of the organisation, in ICCID order', async () => {
    const filter = { q: 'a', status: ['activated', 'deactivated'] };
    const list = await get(`/api/v1/sims?q=a&status=activated,deactivated&pageSize=500`);
    const expected = f.iccidsOf(list).sort();
    expect(expected.length).toBeGreaterThan(2);
    const res = await f.harness().app.inject({
      method: 'POST',
      url: '/api/v1/sims/bulk',
      headers: as(session('owner')),
      payload: { action: 'imeiLockOff', filter },
    });
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json()).toMatchObject({ status: 'queued', total: expected.length, processed: 0 });
    const items = (await get(`/api/v1/jobs/${res.json().id}/items?pageSize=500`)).json();
    expect(items.total).toBe(expected.length);
    expect(items.items.map((i: { iccid: string }) => i.iccid)).toEqual(expected);
    await runJobs(f.harness().ctx);
  });

  it('when a filter matches no SIM, then 400 naming the filter, and no job is created', async () => {
    const jobsBefore = await f
      .harness()
      .ctx.database.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM jobs`);
    const res = await f.harness().app.inject({
      method: 'POST',
      url: '/api/v1/sims/bulk',
      headers: as(session('owner')),
      payload: { action: 'deactivate', filter: { q: 'no such sim anywhere' } },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([
      { field: 'filter', message: 'matches no SIMs', reason: 'filter_matches_none' },
    ]);
    expect(renderFieldError('de', res.json().errors[0])).toBe('Der Filter trifft auf keine SIM zu.');
    expect(
      await f.harness().ctx.database.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM jobs`),
    ).toEqual(jobsBefore);
    // nor its items (the insert ran inside the rolled-back transaction)
    const orphans = await f
      .harness()
      .ctx.database.query<{ n: number }>(
        sql`SELECT count(*)::int AS n FROM job_items i WHERE NOT EXISTS (SELECT 1 FROM jobs j WHERE j.id = i.job_id)`,
      );
    expect(orphans).toEqual([{ n: 0 }]);
  });

  it('when a User starts a bulk auto top-up, then 403', async () => {
    const res = await f.harness().app.inject({
      method: 'POST',
      url: '/api/v1/sims/bulk',
      headers: as(session('user')),
      payload: { action: 'autoTopUpOn', iccids: [n(1)] },
    });
    expect(res.statusCode).toBe(403);
  });
});

describe('kept counts', () => {
  it('when SIMs were imported, assigned, changed and bulk-changed, then sim_counts equals a direct count', async () => {
    const direct = await f.harness().ctx.database.query<{ k: string; n: number }>(sql`
      SELECT org_id || status || session_state || data_group || sms_group AS k, count(*)::int AS n
      FROM sims WHERE org_id IS NOT NULL GROUP BY 1 ORDER BY 1`);
    const kept = await f.harness().ctx.database.query<{ k: string; n: number }>(sql`
      SELECT org_id || status || session_state || data_group || sms_group AS k, n::int AS n
      FROM sim_counts WHERE n <> 0 ORDER BY 1`);
    expect(kept).toEqual(direct);
    expect(direct.length).toBeGreaterThan(5);
  });
});
