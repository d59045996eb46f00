/** Columns the My SIMs list can show, in display order. No zod here, so the portal can import it cheaply. */
export const simColumns = [
  'status',
  'session',
  'iccid',
  'imsi',
  'msisdn',
  'imei',
  'imeiLock',
  'ipAddress',
  'label',
  'dataVolume',
  'smsVolume',
  'endOfLife',
  'autoTopUp',
] as const;
export type SimColumn = (typeof simColumns)[number];
