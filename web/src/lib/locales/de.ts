/** German texts of the portal, one file per area in de/; each part is typed against its English part. */
import { account } from './de/account.js';
import { audit } from './de/audit.js';
import { auth } from './de/auth.js';
import { config } from './de/config.js';
import { core } from './de/core.js';
import { dashboard } from './de/dashboard.js';
import { network } from './de/network.js';
import { operator } from './de/operator.js';
import { orgs } from './de/orgs.js';
import { sims } from './de/sims.js';
import { sms } from './de/sms.js';
import { users } from './de/users.js';
import type { MessageKey } from './en.js';

export const de: Record<MessageKey, string> = {
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
