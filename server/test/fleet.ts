/** Test fixtures for SIMs: stock imported and assigned through the real services. */
import type { AppContext } from '../context.js';
import { addPool, assignStock, importStock } from '../modules/stock/stock.service.js';

/** The identifiers of fixture SIM n of a series (series keeps organisations' SIMs apart). */
export function fixtureIds(series: number, n: number) {
  const s = String(n).padStart(6, '0');
  return {
    iccid: `89490${series}9999999${s}`.slice(0, 19),
    imsi: `26299${series}000${s}`.slice(0, 15),
    msisdn: `49170${series}00${s}`,
  };
}

/** A stock CSV of `count` SIMs of a series. */
export function stockCsv(series: number, count: number, from = 1): string {
  const lines = ['iccid,imsi,msisdn,pin1,puk1,pin2,puk2,form_factor'];
  for (let n = from; n < from + count; n++) {
    const id = fixtureIds(series, n);
    lines.push(`${id.iccid},${id.imsi},${id.msisdn},1234,12345678,4321,87654321,4FF`);
  }
  return lines.join('\n');
}

/** Import `count` SIMs of a series and assign them all to an organisation with an IP block. */
export async function seedFleet(ctx: AppContext, orgId: string, series: number, count: number, cidr: string) {
  await importStock(ctx, stockCsv(series, count));
  await addPool(ctx, orgId, cidr);
  await assignStock(
    ctx,
    { source: 'user', name: 'Test Operator' },
    {
      orgId,
      iccidFrom: fixtureIds(series, 1).iccid,
      iccidTo: fixtureIds(series, count).iccid,
      contractMonths: 120,
      dataMb: 500,
      sms: 250,
    },
  );
  return Array.from({ length: count }, (_, i) => fixtureIds(series, i + 1).iccid);
}
