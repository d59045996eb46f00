/** /account: user data (profile, password, two-factor, sessions); customer data, addresses and the audit log for Owner and Admin. */
import { Stack, Tabs, Text } from '@mantine/core';
import { useSearchParams } from 'react-router';
import { PageHeader } from '../../../components/PageHeader.js';
import { useT } from '../../../lib/i18n.js';
import { useCan } from '../../../lib/session.js';
import { AuditLog } from '../../audit/components/AuditLog.js';
import { AddressesSection } from '../components/AddressesSection.js';
import { CustomerSection } from '../components/CustomerSection.js';
import { PasswordForm } from '../components/PasswordForm.js';
import { ProfileForm } from '../components/ProfileForm.js';
import { SessionsTable } from '../components/SessionsTable.js';
import { TwoFactorCard } from '../components/TwoFactorCard.js';

const sections = ['user', 'customer', 'addresses', 'audit'] as const;
type Section = (typeof sections)[number];

/** The Account tab. */
export function AccountPage() {
  const t = useT();
  const canManageAccount = useCan('account:manage');
  const [params, setParams] = useSearchParams();
  const requested = sections.find((s) => s === params.get('section')) ?? 'user';
  const canReadAudit = useCan('audit:read');
  const allowed = (s: Section) => s === 'user' || (s === 'audit' ? canReadAudit : canManageAccount);
  const section: Section = allowed(requested) ? requested : 'user';

  return (
    <div data-testid="page-account">
      <PageHeader title={t('tabs.account')} />
      <Tabs
        value={section}
        onChange={(value) =>
          setParams(value && value !== 'user' ? { section: value } : {}, { replace: true })
        }
        keepMounted={false}
      >
        <Tabs.List mb="md">
          <Tabs.Tab value="user">{t('account.tabUser')}</Tabs.Tab>
          {canManageAccount && <Tabs.Tab value="customer">{t('account.tabCustomer')}</Tabs.Tab>}
          {canManageAccount && <Tabs.Tab value="addresses">{t('account.tabAddresses')}</Tabs.Tab>}
          {canReadAudit && (
            <Tabs.Tab value="audit" data-testid="account-tab-audit">
              {t('account.tabAudit')}
            </Tabs.Tab>
          )}
        </Tabs.List>
        <Tabs.Panel value="user">
          <Stack gap="lg" maw={900}>
            <ProfileForm />
            <PasswordForm />
            <TwoFactorCard />
            <SessionsTable />
          </Stack>
        </Tabs.Panel>
        {canManageAccount && (
          <Tabs.Panel value="customer">
            <Stack gap="lg" maw={900} data-testid="account-customer">
              <CustomerSection />
            </Stack>
          </Tabs.Panel>
        )}
        {canManageAccount && (
          <Tabs.Panel value="addresses">
            <Stack gap="lg" maw={900} data-testid="account-addresses">
              <AddressesSection />
            </Stack>
          </Tabs.Panel>
        )}
        {canReadAudit && (
          <Tabs.Panel value="audit">
            <Stack gap="md" data-testid="account-audit">
              <Text size="sm" c="dimmed">
                {t('account.auditDescription')}
              </Text>
              <AuditLog />
            </Stack>
          </Tabs.Panel>
        )}
      </Tabs>
    </div>
  );
}
