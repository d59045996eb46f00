/**
 * A response serializer for hot routes whose handler already builds its answer as the contract's
 * output type (typed by the contract, covered by a test that parses it): plain JSON.stringify instead
 * of zod's encode of every item before stringifying (decision 013). The route keeps its zod response
 * schema, so the OpenAPI document is the same; only the per-request check is gone.
 */
import type { FastifySerializerCompiler } from 'fastify/types/schema.js';

export const plainJsonSerializer: FastifySerializerCompiler<unknown> = () => (data) => JSON.stringify(data);
