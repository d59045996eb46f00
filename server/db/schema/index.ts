/** The whole schema, one file per domain, gathered for Drizzle and drizzle-kit. */

export * from './apiclients.js';
export * from './audit.js';
export * from './config.js';
export * from './jobs.js';
export * from './mail.js';
export * from './network.js';
export * from './orgs.js';
export * from './sims.js';
export * from './sms.js';
export * from './users.js';
