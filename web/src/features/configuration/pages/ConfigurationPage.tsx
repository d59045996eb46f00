/** The configuration tab: monthly limits and defaults, API access; network view, data streams and SMS forwarding to come. */
import { Stack } from '@mantine/core';
import { NotYetAvailable } from '../../../components/NotYetAvailable.js';
import { PageHeader } from '../../../components/PageHeader.js';
import { useT } from '../../../lib/i18n.js';
import { ApiAccessSection } from '../components/ApiAccessSection.js';
import { LimitsSection } from '../components/LimitsSection.js';

/** Renders API access and the honest empty state of the rest of the tab. */
export function ConfigurationPage() {
  const t = useT();
  return (
    <div data-testid="page-configuration">
      <PageHeader title={t('tabs.configuration')} />
      <Stack gap="lg">
        <LimitsSection />
        <ApiAccessSection />
        <NotYetAvailable title={t('config.more.title')} description={t('config.more.description')} />
      </Stack>
    </div>
  );
}
