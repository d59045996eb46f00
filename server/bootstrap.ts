/** What the first start of an empty database does: the demo data, or a one-time link for the first operator. */
import { randomBytes } from 'node:crypto';
import type { AppContext } from './context.js';
import { seedDemo } from './demo/seed.js';
import { seedDemoFleet } from './demo/sims.js';
import { digest, randomToken } from './lib/tokens.js';
import { expireSetupLinks, hasOperator, insertAuthToken } from './modules/auth/auth.repository.js';
import { findProvider, insertOrganisation } from './modules/orgs/orgs.repository.js';
import { refreshDataLeft } from './modules/usage/data-left.js';

export type BootstrapResult =
  | { kind: 'existing' }
  | { kind: 'demo'; password: string; generated: boolean }
  | { kind: 'setup'; link: string };

/** Seed an empty database; on later starts, offer a new set-up link while no operator exists yet. */
export async function bootstrap(ctx: AppContext): Promise<BootstrapResult> {
  const provider = await findProvider(ctx.db);
  if (!provider && ctx.config.OPENCMP_DEMO) {
    const generated = !ctx.config.OPENCMP_DEMO_PASSWORD;
    const password = ctx.config.OPENCMP_DEMO_PASSWORD ?? randomBytes(12).toString('base64url');
    const orgs = await seedDemo(ctx, password);
    await seedDemoFleet(ctx, { source: 'user', name: 'Otto Operator' }, orgs);
    // the history's usage into the "data left" sort keys (decision 022), whichever process serves the list
    await refreshDataLeft(ctx.database);
    return { kind: 'demo', password, generated };
  }
  const root =
    provider ?? (await insertOrganisation(ctx.db, { kind: 'provider', name: 'Provider', language: 'en' }));
  if (await hasOperator(ctx.db, root.id)) return { kind: 'existing' };
  await expireSetupLinks(ctx.db, root.id, ctx.clock.now());
  const token = randomToken();
  await insertAuthToken(ctx.db, {
    orgId: root.id,
    purpose: 'setup',
    tokenHash: digest(token),
    expiresAt: new Date(ctx.clock.now().getTime() + 24 * 3_600_000),
  });
  return { kind: 'setup', link: `${ctx.config.publicUrl}/setup?token=${token}` };
}
