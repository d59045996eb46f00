/** English texts of the portal, one file per area in en/; the reference every other language must match key by key. */
import { account } from './en/account.js';
import { auth } from './en/auth.js';
import { config } from './en/config.js';
import { core } from './en/core.js';
import { network } from './en/network.js';
import { operator } from './en/operator.js';
import { sims } from './en/sims.js';
import { users } from './en/users.js';

export const en = { ...core, ...auth, ...account, ...sims, ...operator, ...network, ...users, ...config };

export type MessageKey = keyof typeof en;
