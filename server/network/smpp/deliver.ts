/** A deliver_sm from the SMSC, decoded: an MO part (with its concatenation header) or a delivery receipt. */
import type { PDU } from 'smpp';
import type { DeliverSm } from '../../modules/sms/esme-link.js';
import { decodeText, esmClassReceipt, parseUdh } from './codec.js';

/** Decode a deliver_sm: the body from short_message (or message_payload when that is empty), UDH removed. */
export function decodeDeliverSm(pdu: PDU): DeliverSm {
  const esmClass = Number(pdu.esm_class ?? 0);
  const dataCoding = Number(pdu.data_coding ?? 0);
  const raw = Buffer.isBuffer(pdu.short_message) ? pdu.short_message : Buffer.alloc(0);
  const payload = Buffer.isBuffer(pdu.message_payload) ? pdu.message_payload : undefined;
  const { concat, body } = parseUdh(raw.length === 0 && payload ? payload : raw, esmClass);
  return {
    sourceAddr: String(pdu.source_addr ?? ''),
    destinationAddr: String(pdu.destination_addr ?? ''),
    esmClass,
    dataCoding,
    receipt: (esmClass & 0x3c) === esmClassReceipt,
    text: decodeText(body, dataCoding & 0x0f),
    concat,
    receiptedMessageId: typeof pdu.receipted_message_id === 'string' ? pdu.receipted_message_id : undefined,
    messageState: typeof pdu.message_state === 'number' ? pdu.message_state : undefined,
  };
}
