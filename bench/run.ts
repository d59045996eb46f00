/** `npm run bench`: every benchmark in turn; figures go to stdout and bench/results/. Pick some with args. */
import { benchBundle } from './bundle.js';
import { benchDashboard } from './dashboard.js';
import { calibrationMs } from './lib.js';
import { benchMe } from './me.js';
import { benchRadius } from './radius.js';
import { benchSimsPglite, benchSimsPostgres } from './sims.js';
import { benchSms } from './sms.js';
import { benchStartup } from './startup.js';
import { benchTokens } from './tokens.js';
import { benchTransfer } from './transfer.js';

const all: Record<string, () => Promise<void>> = {
  startup: benchStartup,
  me: benchMe,
  bundle: benchBundle,
  'sims-postgres': () => benchSimsPostgres(),
  'sims-pglite': () => benchSimsPglite(),
  tokens: benchTokens,
  dashboard: benchDashboard,
  transfer: () => benchTransfer(),
  sms: () => benchSms(),
  radius: () => benchRadius(),
};
const wanted = process.argv.slice(2);
for (const name of wanted.length ? wanted : Object.keys(all)) {
  const bench = all[name];
  if (!bench) throw new Error(`unknown bench ${name}; choose from ${Object.keys(all).join(', ')}`);
  // the machine's speed as the bench starts; its report carries the speed as it ends (lib.ts)
  console.log(`${name}: calibrationMs=${calibrationMs()} before the run`);
  await bench();
}
