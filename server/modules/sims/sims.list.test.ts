import { describe, expect, it } from 'vitest';
import { iccidWithLuhn } from '../../../contracts/ids.js';
import { simSortKeys } from '../../../contracts/sims.js';
import { fixtureIds } from '../../test/fleet.js';
import { mySimsFixture } from './sims.fixture.js';

/** The natural order's key, as natural_sort_key in migration 0027: lower case, digit runs padded to 20. */
const naturalKey = (label: string) =>
  label.toLowerCase().replace(/[0-9]+/g, (d) => (d.length <= 20 ? d.padStart(20, '0') : d));

const f = mySimsFixture();
const { get, iccidsOf, n } = f;

describe('My SIMs list', () => {
  it('when listing without a filter, then all of the organisation and none of another, sorted by ICCID', async () => {
    const res = await get('/api/v1/sims');
    expect(res.statusCode).toBe(200);
    expect(res.json().total).toBe(12);
    expect(iccidsOf(res)).toEqual(f.mine().sort());
    expect(iccidsOf(res)).not.toContain(f.foreign(0));
  });

  it.each([
    ['status=deactivated', [2]],
    ['status=expired', [3]],
    ['session=online', [4, 5]],
    ['session=attached,blocked', [6, 7]],
    ['dataVolume=low', [8]],
    ['dataVolume=none', [9]],
    ['smsVolume=low', [10]],
    ['smsVolume=none', [11]],
    ['q=pump', [1, 12]],
    ['q=BETA', [2]],
    [`q=${fixtureIds(1, 12).iccid.slice(-6)}`, [12]],
    // the ICCID as printed on the card: 20 digits with the Luhn check digit
    [`q=${iccidWithLuhn(fixtureIds(1, 9).iccid)}`, [9]],
    [`q=${fixtureIds(1, 7).imsi.slice(-5)}`, [7]],
    [`q=${fixtureIds(1, 5).msisdn.slice(3)}`, [5]],
    // the MSISDN in E.164, as a device's number is usually written
    [`q=${encodeURIComponent(`+${fixtureIds(1, 5).msisdn}`)}`, [5]],
    ['status=activated&session=online', [4, 5]],
    // a list parameter repeated, as many HTTP clients write arrays, means the same as commas
    ['status=activated&session=online&session=attached', [4, 5, 6]],
  ])('when filtering by %s, then exactly the expected SIMs come back', async (query, expected) => {
    const res = await get(`/api/v1/sims?${query}`);
    expect(res.statusCode).toBe(200);
    expect(iccidsOf(res)).toEqual(expected.map(n));
    expect(res.json().total).toBe(expected.length);
  });

  it('when the search has LIKE wildcards, then they match literally', async () => {
    expect((await get('/api/v1/sims?q=%25')).json().total).toBe(0);
    expect((await get('/api/v1/sims?q=_')).json().total).toBe(0);
  });

  const value: Record<string, (i: Record<string, unknown>) => string | number | null> = {
    iccid: (i) => i.iccid as string,
    imsi: (i) => i.imsi as string,
    msisdn: (i) => i.msisdn as string,
    status: (i) => i.status as string,
    session: (i) => i.session as string,
    label: (i) => (i.label === null ? null : naturalKey(i.label as string)),
    imei: (i) => i.imei as string | null,
    ip: (i) =>
      (i.ipAddress as string)
        .split('.')
        .map((o) => o.padStart(3, '0'))
        .join('.'),
    dataLeft: (i) => (i.dataTotal as number) - (i.dataUsed as number),
    smsLeft: (i) => (i.smsTotal as number) - (i.smsUsed as number),
    endOfLife: (i) => i.endOfLife as string,
    imeiLock: (i) => Number(i.imeiLock),
    autoTopUp: (i) => Number(i.autoTopUp),
  };

  it.each(simSortKeys.flatMap((k) => [k, `-${k}`]))(
    'when sorting by %s, then the order follows that column, ties by ICCID, empty values last either way',
    async (sort) => {
      const res = await get(`/api/v1/sims?sort=${sort}&pageSize=500`);
      expect(res.statusCode).toBe(200);
      const key = sort.replace('-', '');
      const items: Record<string, unknown>[] = res.json().items;
      const keyOf = (i: Record<string, unknown>) => value[key]?.(i) ?? null;
      // the known answer: by the column, then by ICCID, in the direction asked; empty values last
      const sign = sort.startsWith('-') ? -1 : 1;
      const expected = [...items].sort((a, b) => {
        const [x, y] = [keyOf(a), keyOf(b)];
        if (x !== y) {
          if (x === null) return 1;
          if (y === null) return -1;
          return x < y ? -sign : sign;
        }
        return (a.iccid as string) < (b.iccid as string) ? -sign : sign;
      });
      expect(items.map((i) => i.iccid)).toEqual(expected.map((i) => i.iccid));
      // the fixtures have more than one value in each column, so the order is not the ICCID order by accident
      expect(new Set(items.map(keyOf)).size).toBeGreaterThan(1);
    },
  );

  it('when sorting by label, then numbers in labels sort by value and case does not count', async () => {
    const labels: [number, string][] = [
      [4, 'Unit 10'],
      [5, 'unit 9'],
      [6, 'Unit 9a'],
      [7, 'UNIT 100'],
      [8, 'Unit 009b'],
    ];
    try {
      for (const [k, label] of labels) expect((await f.patch(n(k), { label })).statusCode).toBe(200);
      const res = await get('/api/v1/sims?sort=label&q=unit');
      expect(res.json().items.map((i: { label: string }) => i.label)).toEqual([
        'unit 9',
        'Unit 9a',
        'Unit 009b',
        'Unit 10',
        'UNIT 100',
      ]);
      const down = await get('/api/v1/sims?sort=-label&q=unit');
      expect(down.json().items.map((i: { label: string }) => i.label)[0]).toBe('UNIT 100');
    } finally {
      for (const [k] of labels) await f.patch(n(k), { label: null });
    }
  });

  it('when paging, then the page holds the rest and the total stays', async () => {
    const res = await get('/api/v1/sims?pageSize=5&page=3');
    expect(res.json()).toMatchObject({ total: 12, page: 3, pageSize: 5 });
    expect(iccidsOf(res)).toEqual(f.mine().sort().slice(10));
  });

  it.each([
    ['pageSize=501', 'pageSize'],
    ['sort=price', 'sort'],
    ['status=sleeping', 'status'],
    ['dataVolume=plenty', 'dataVolume'],
    [`q=${'x'.repeat(65)}`, 'q'],
  ])('when the query has %s, then 400 names %s', async (query, field) => {
    const res = await get(`/api/v1/sims?${query}`);
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.map((e: { field: string }) => e.field.split('.')[0])).toContain(field);
  });

  it.each([
    ['/api/v1/sims?Status=deactivated', 'Status'],
    ['/api/v1/sims/export.csv?sort=-iccid', 'sort'],
    [`/api/v1/sims/${fixtureIds(1, 1).iccid}/events?typ=3`, 'typ'],
  ])(
    'when %s names a parameter the endpoint does not know, then 400 names it rather than ignoring it',
    async (url, key) => {
      const res = await get(url);
      expect(res.statusCode).toBe(400);
      expect(res.json().detail).toContain(`"${key}"`);
    },
  );
});
