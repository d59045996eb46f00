/** Turns SIM rows into the API's shapes. */
import { iccidWithLuhn } from '../../../contracts/ids.js';
import type { SimRow, SimSummaryRow } from './sims.repository.js';

type CustomerStatus = 'activated' | 'deactivated' | 'expired';

function customerStatus(s: SimRow['status']): CustomerStatus {
  return s === 'stock' ? 'deactivated' : s;
}

/** A list row. */
export function presentSummary(s: SimSummaryRow) {
  return {
    iccid: s.iccid,
    iccidWithLuhn: iccidWithLuhn(s.iccid),
    imsi: s.imsi,
    msisdn: s.msisdn,
    status: customerStatus(s.status),
    session: s.sessionState,
    label: s.label,
    imei: s.imei,
    imeiLock: s.imeiLock,
    ipAddress: s.ipAddress,
    dataTotal: s.dataTotal,
    dataUsed: s.dataUsed,
    dataVolume: s.dataGroup ?? 'none',
    smsTotal: s.smsTotal,
    smsUsed: s.smsUsed,
    smsVolume: s.smsGroup ?? 'none',
    endOfLife: s.endOfLife?.toISOString() ?? null,
    autoTopUp: s.autoTopUp,
  };
}

/** Lifetime as the detail view shows it: % passed, days left, end date. */
export function lifetime(s: SimRow, now: Date) {
  if (!s.activatedAt || !s.endOfLife) return { percentPassed: null, daysLeft: null, endOfLife: null };
  const span = s.endOfLife.getTime() - s.activatedAt.getTime();
  const passed = Math.min(Math.max(now.getTime() - s.activatedAt.getTime(), 0), span);
  return {
    percentPassed: span > 0 ? Math.round((passed / span) * 1000) / 10 : 100,
    daysLeft: Math.max(0, Math.ceil((s.endOfLife.getTime() - now.getTime()) / 86_400_000)),
    endOfLife: s.endOfLife.toISOString(),
  };
}

/** The detail view. */
export function presentDetail(s: SimRow, now: Date, resetPending = false) {
  return {
    ...presentSummary(s),
    resetPending,
    formFactor: s.formFactor,
    lockedImei: s.lockedImei,
    activatedAt: s.activatedAt?.toISOString() ?? null,
    lifetime: lifetime(s, now),
    network: {
      country: s.country,
      operatorName: s.operatorName,
      mccMnc: s.mccMnc,
      cell: s.cell,
      bearer: s.bearer,
      lastSeenAt: s.lastSeenAt?.toISOString() ?? null,
    },
  };
}
