/** Event type ids (PRODUCT.md §6): 1NCE's Data Streamer ids, plus OpenCMP's own from 100 up. */
export const eventTypes = {
  generic: 0,
  updateLocation: 1,
  updateGprsLocation: 2,
  createPdpContext: 3,
  updatePdpContext: 4,
  deletePdpContext: 5,
  authenticationFailed: 6,
  simActivation: 8,
  simSuspension: 9,
  endpointBlocked: 11,
  dataThreshold: 18,
  dataUsedUp: 19,
  smsThreshold: 20,
  smsUsedUp: 21,
  simEnabled: 42,
  simDisabled: 43,
  simReleased: 50,
  simAssigned: 51,
  dataQuotaAssigned: 56,
  smsQuotaAssigned: 58,
  dataQuotaExpired: 60,
  smsQuotaExpired: 61,
  labelChanged: 100,
  imeiLockChanged: 101,
  autoTopUpChanged: 102,
  transferred: 103,
  lifetimeExpired: 104,
  lifetimeExtended: 105,
  smsDelivered: 110,
  smsNotDelivered: 111,
  smsRefused: 112,
  disconnectFailed: 106,
  connectionReset: 107,
} as const;
export type EventType = (typeof eventTypes)[keyof typeof eventTypes];

/** Human names of the event types, for lists and filters. */
export const eventTypeNames: Record<number, string> = {
  0: 'Generic',
  1: 'Update location',
  2: 'Update GPRS location',
  3: 'Create PDP context',
  4: 'Update PDP context',
  5: 'Delete PDP context',
  6: 'Authentication failed',
  8: 'SIM activation',
  9: 'SIM suspension',
  11: 'Endpoint blocked',
  18: 'Data quota threshold reached',
  19: 'Data quota used up',
  20: 'SMS quota threshold reached',
  21: 'SMS quota used up',
  42: 'SIM enabled',
  43: 'SIM disabled',
  50: 'SIM released',
  51: 'SIM assigned',
  56: 'Data quota assigned',
  58: 'SMS quota assigned',
  60: 'Data quota expired',
  61: 'SMS quota expired',
  100: 'Label changed',
  101: 'IMEI lock changed',
  102: 'Auto top-up changed',
  103: 'SIM transferred',
  104: 'Lifetime expired',
  105: 'Lifetime extended',
  110: 'SMS delivered',
  111: 'SMS not delivered',
  112: 'SMS refused',
  106: 'Disconnect failed',
  107: 'Connection reset requested',
};

/** Why the AAA refused a data session (event 6's `details.cause`, PRODUCT.md §6). */
export const accessRefusalCauses = [
  'IMSI_NOT_FOUND',
  'SIM_DEACTIVATED',
  'QUOTA_EXHAUSTED',
  'QUOTA_EXPIRED',
  'MONTHLY_USAGE_LIMIT_EXCEEDED',
  'IMEI_LOCK_BREACHED',
] as const;
export type AccessRefusalCause = (typeof accessRefusalCauses)[number];

/** Why a Disconnect-Request was sent (event 106's `details.reason`; the disconnect outbox's reason). */
export const disconnectReasons = [
  'reset',
  'deactivated',
  'imei_lock',
  'exhausted',
  'limit',
  'expired',
] as const;
export type DisconnectReason = (typeof disconnectReasons)[number];

/** Why an MO SMS was refused (event 112's `details.cause`). */
export const moRefusalCauses = [
  'SIM_NOT_ACTIVATED',
  'SMS_VOLUME_EXHAUSTED',
  'MONTHLY_MO_SMS_LIMIT_REACHED',
] as const;
export type MoRefusalCause = (typeof moRefusalCauses)[number];
