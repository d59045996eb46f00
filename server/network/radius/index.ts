/** The RADIUS codec: pure functions over Buffers, no sockets. */
export * from './attributes.js';
export * from './authenticator.js';
export * from './builders.js';
export * from './fields.js';
export * from './packet.js';
export * from './password.js';
export * from './request.js';
export * from './uli.js';
