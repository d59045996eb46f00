/** What every service needs, built once by main (or a test) and passed down. */
import type { Config } from './config.js';
import type { Database, Db } from './db/client.js';
import type { Clock } from './lib/clock.js';

export interface AppContext {
  config: Config;
  database: Database;
  db: Db;
  clock: Clock;
}
