/**
 * What the AAA's services read of a RADIUS packet: its attributes as typed fields (RadiusFields), with
 * the value shapes they use (bearer, user location, time zone) and the Acct-Status-Type values. The
 * network layer's codec (server/network/radius) decodes packets into these shapes and imports them
 * from here, so the module never imports server/network.
 */

/** Acct-Status-Type values (RFC 2866 §5.1). */
export const AcctStatus = { Start: 1, Stop: 2, InterimUpdate: 3, AccountingOn: 7, AccountingOff: 8 } as const;

/** The radio bearer OpenCMP shows for a session. */
export type Bearer = '2G' | '3G' | '4G' | '5G' | 'NB-IoT' | 'LTE-M';

/** 3GPP-MS-TimeZone decoded: offset from UTC in minutes and the daylight-saving adjustment in hours. */
export interface MsTimeZone {
  offsetMinutes: number;
  dstHours: number;
}

/** A PLMN id: 3-digit MCC and 2- or 3-digit MNC, as strings to keep leading zeros. */
export interface Plmn {
  mcc: string;
  mnc: string;
}

/** A decoded location; every known variant carries the PLMN of its first identity. */
export type UserLocation =
  | { type: 'CGI'; plmn: Plmn; lac: number; ci: number }
  | { type: 'SAI'; plmn: Plmn; lac: number; sac: number }
  | { type: 'RAI'; plmn: Plmn; lac: number; rac: number }
  | { type: 'TAI'; plmn: Plmn; tac: number }
  | { type: 'ECGI'; plmn: Plmn; eci: number; enbId: number; cellId: number }
  | { type: 'TAI+ECGI'; plmn: Plmn; tac: number; ecgiPlmn: Plmn; eci: number; enbId: number; cellId: number }
  | { type: 'unknown'; code: number; raw: string };

/** Every attribute OpenCMP reads or writes, by name; absent attributes are undefined. */
export interface RadiusFields {
  userName?: string;
  /** User-Password as on the wire (hidden with the request authenticator); see unhidePassword (server/network/radius/password.ts). */
  userPassword?: Buffer;
  nasIp?: string;
  nasIdentifier?: string;
  serviceType?: number;
  framedProtocol?: number;
  framedIp?: string;
  replyMessage?: string;
  class?: Buffer;
  sessionTimeout?: number;
  /** Called-Station-Id: the APN. */
  calledStationId?: string;
  /** Calling-Station-Id: the MSISDN. */
  callingStationId?: string;
  statusType?: number;
  sessionId?: string;
  sessionTime?: number;
  /** Cumulative session octets including Gigawords × 2^32. */
  inputOctets?: bigint;
  outputOctets?: bigint;
  inputPackets?: number;
  outputPackets?: number;
  terminateCause?: number;
  eventTimestamp?: Date;
  nasPortType?: number;
  interimInterval?: number;
  errorCause?: number;
  imsi?: string;
  chargingId?: number;
  /** Serving operator, e.g. "26201". */
  sgsnMccMnc?: string;
  imeisv?: string;
  ratType?: number;
  bearer?: Bearer;
  userLocation?: UserLocation;
  msTimeZone?: MsTimeZone;
}
