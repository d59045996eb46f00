/**
 * The `smpp` package, set up once for OpenCMP: short_message and message_payload stay raw octets
 * (the package's text filter guesses encodings and loses characters; codec.ts decodes by data_coding),
 * plus the command_status names this code reports. SMPP URLs are parsed by the sms module's
 * smsc-url.ts (the console validates them with it).
 */
import smpp, { type PDU, type Session } from 'smpp';

const commands = (
  smpp as unknown as { commands: Record<string, { params?: Record<string, { filter?: unknown }> }> }
).commands;
const tlvs = (smpp as unknown as { tlvs: Record<string, { filter?: unknown }> }).tlvs;
for (const c of Object.values(commands)) {
  const sm = c.params?.short_message;
  if (sm) sm.filter = undefined;
}
if (tlvs.message_payload) tlvs.message_payload.filter = undefined;

// A command_length below the 16-octet header would leave the package waiting forever for a PDU that
// cannot exist (it reads 0 or a negative count); make it a parse error, which drops the connection.
const pduStatics = smpp.PDU as unknown as { commandLength: (stream: unknown) => number | false };
const commandLength = pduStatics.commandLength;
pduStatics.commandLength = (stream) => {
  const n = commandLength(stream);
  if (n !== false && n < 16) throw new Error(`command_length ${n} is shorter than the PDU header`);
  return n;
};

export { smpp };

/**
 * Send a PDU, coalescing every PDU sent in the same tick into one write: the socket is corked at the
 * first and uncorked on the next tick. A window of submits, or the answers to a chunk of PDUs read
 * at once, then costs one syscall instead of one each.
 */
export function sendBatched(session: Session, pdu: PDU, responseCallback?: (pdu: PDU) => void): boolean {
  const socket = session.socket;
  if (socket && socket.writableCorked === 0 && socket.writable) {
    socket.cork();
    process.nextTick(() => socket.uncork());
  }
  return session.send(pdu, responseCallback);
}

export const status = {
  ok: 0x00,
  invalidCommandLength: 0x02,
  invalidCommandId: 0x03,
  alreadyBound: 0x05,
  systemError: 0x08,
  bindFailed: 0x0d,
  invalidPassword: 0x0e,
  invalidSystemId: 0x0f,
  messageQueueFull: 0x14,
  invalidSourceAddress: 0x0a,
  invalidDestination: 0x0b,
  submitFailed: 0x45,
  throttled: 0x58,
  /** ESME_RX_T_APPN: the ESME could not take the deliver_sm now; the SMSC retries it later. */
  deliveryFailedTemporary: 0x64,
  /** ESME_RX_P_APPN: a permanent error in the ESME's application; the SMSC does not retry. */
  deliveryFailedPermanent: 0x65,
  /** ESME_RX_R_APPN: the ESME rejects this message (policy); final, the SMSC does not retry. */
  deliveryRejected: 0x66,
} as const;

/** deliver_sm_resp statuses after which an SMSC tries the deliver_sm again (SMPP 3.4 §5.1.3 and common SMSC practice). */
export const temporaryDeliverStatuses: ReadonlySet<number> = new Set([
  status.systemError,
  status.messageQueueFull,
  status.throttled,
  status.deliveryFailedTemporary,
]);

const statusNames = new Map(Object.entries(smpp.errors).map(([name, code]) => [code, name]));

/** "ESME_RTHROTTLED (0x58)" for a command_status. */
export function statusName(code: number): string {
  return `${statusNames.get(code) ?? 'status'} (0x${code.toString(16).padStart(2, '0').toUpperCase()})`;
}
