/** SMS of a SIM (list, send, one, cancel/remove) and the operator console's SMSC connection. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { simParams } from '../../../contracts/sims.js';
import {
  sendSmsRequest,
  smscStatus as smscStatusSchema,
  smsListQuery,
  smsMessage,
  smsPage,
  smsParams,
  updateSmscRequest,
} from '../../../contracts/sms.js';
import { principalOf } from '../../plugins/auth.js';
import { deleteSms, getSms, listSms, sendSms } from './sms.service.js';
import { smscStatus, updateSmsc } from './sms.smsc.js';

export default async function smsRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['sms'];

  r.get(
    '/sims/:iccid/sms',
    {
      config: { permission: 'sims:read' },
      schema: {
        tags,
        summary: 'SMS to (MT) and from (MO) a SIM, newest first, with the SIM’s SMS volume',
        params: simParams,
        querystring: smsListQuery,
        response: { 200: smsPage },
      },
    },
    async (req) => listSms(req.ctx, principalOf(req).orgId, req.params.iccid, req.query),
  );
  r.post(
    '/sims/:iccid/sms',
    {
      config: { permission: 'sims:operate' },
      schema: {
        tags,
        summary:
          'Send an SMS to a SIM: up to 10 parts (1,530 GSM-7 or 670 UCS-2 characters); counts against the SMS ' +
          'volume (409 sms_volume_exhausted when it cannot carry every part); answered at once with status ' +
          'pending, then submitted, delivered, failed or expired as the SMS centre reports',
        params: simParams,
        body: sendSmsRequest,
        response: { 202: smsMessage },
      },
    },
    async (req, reply) => {
      const msg = await sendSms(req.ctx, principalOf(req), req.params.iccid, req.body);
      return reply.code(202).send(msg);
    },
  );
  r.get(
    '/sims/:iccid/sms/:id',
    {
      config: { permission: 'sims:read' },
      schema: {
        tags,
        summary: 'One SMS of a SIM with the state of each part',
        params: smsParams,
        response: { 200: smsMessage },
      },
    },
    async (req) => getSms(req.ctx, principalOf(req).orgId, req.params.iccid, req.params.id),
  );
  r.delete(
    '/sims/:iccid/sms/:id',
    {
      config: { permission: 'sims:operate' },
      schema: {
        tags,
        summary:
          'Cancel or remove an SMS: an MT still pending (not yet taken by the SMS centre connection) is cancelled ' +
          'and its SMS volume given back (outcome "cancelled"; 409 when it is being submitted); any other message ' +
          'is removed from the SIM’s list, its usage stays counted (outcome "removed")',
        params: smsParams,
        response: { 200: z.object({ outcome: z.enum(['cancelled', 'removed']), message: smsMessage }) },
      },
    },
    async (req) => deleteSms(req.ctx, principalOf(req), req.params.iccid, req.params.id),
  );

  r.get(
    '/operator/network/smsc',
    {
      config: { permission: 'operator:console' },
      schema: {
        tags: ['operator'],
        summary: 'The SMSC connection: masked URL, bind state, last error, counters, throughput, outbox',
        response: { 200: smscStatusSchema },
      },
    },
    async (req) => smscStatus(req.ctx),
  );
  r.put(
    '/operator/network/smsc',
    {
      config: { permission: 'operator:console' },
      schema: {
        tags: ['operator'],
        summary:
          'Set the SMSC URL (smpp://system_id:password@host:port; null falls back to SMPP_URL); the ESME rebinds',
        body: updateSmscRequest,
        response: { 200: smscStatusSchema },
      },
    },
    async (req) => updateSmsc(req.ctx, principalOf(req), req.body),
  );
}
