/** English texts of the portal, one file per area in en/; the reference every other language must match key by key. */
import { account } from './en/account.js';
import { audit } from './en/audit.js';
import { auth } from './en/auth.js';
import { config } from './en/config.js';
import { core } from './en/core.js';
import { dashboard } from './en/dashboard.js';
import { network } from './en/network.js';
import { operator } from './en/operator.js';
import { orgs } from './en/orgs.js';
import { sims } from './en/sims.js';
import { sms } from './en/sms.js';
import { users } from './en/users.js';

export const en = {
  ...core,
  ...auth,
  ...account,
  ...sims,
  ...operator,
  ...network,
  ...users,
  ...config,
  ...dashboard,
  ...orgs,
  ...audit,
  ...sms,
};

export type MessageKey = keyof typeof en;
