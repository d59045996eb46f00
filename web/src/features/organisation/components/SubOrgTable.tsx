/** The sub-organisations: name, account number, owner, SIM and user counts, and each row's actions. */
import { ActionIcon, Menu, Stack, Table, Text, VisuallyHidden } from '@mantine/core';
import { IconDots, IconPencil, IconTrash } from '@tabler/icons-react';
import { StatusBadge } from '../../../components/UserBadges.js';
import { useLanguage, useT } from '../../../lib/i18n.js';
import type { SubOrganisation } from '../api.js';

export type SubOrgAction = 'rename' | 'delete';

/** Why a sub-organisation cannot be deleted yet, or null when it can. */
export function deleteBlocker(
  org: SubOrganisation,
): 'orgs.deleteBlockedSims' | 'orgs.deleteBlockedSubs' | null {
  if (org.simCount > 0) return 'orgs.deleteBlockedSims';
  if (org.subOrganisationCount > 0) return 'orgs.deleteBlockedSubs';
  return null;
}

export function SubOrgTable({
  orgs,
  onAction,
}: {
  orgs: SubOrganisation[];
  onAction: (action: SubOrgAction, org: SubOrganisation) => void;
}) {
  const t = useT();
  const { locale } = useLanguage();
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table verticalSpacing="xs" highlightOnHover data-testid="suborg-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('orgs.name')}</Table.Th>
            <Table.Th>{t('customers.accountNumber')}</Table.Th>
            <Table.Th>{t('orgs.owner')}</Table.Th>
            <Table.Th ta="right">{t('orgs.sims')}</Table.Th>
            <Table.Th ta="right">{t('orgs.users')}</Table.Th>
            <Table.Th>
              <VisuallyHidden>{t('users.actions')}</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {orgs.map((org) => {
            const blocker = deleteBlocker(org);
            return (
              <Table.Tr key={org.id} data-testid="suborg-row" data-name={org.name}>
                <Table.Td>
                  <Text size="sm" fw={500} style={{ overflowWrap: 'anywhere' }}>
                    {org.name}
                  </Text>
                </Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{org.accountNumber ?? '—'}</Table.Td>
                <Table.Td>
                  {org.owner ? (
                    <Stack gap={2}>
                      <Text size="sm">{org.owner.name}</Text>
                      <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
                        {org.owner.email}
                      </Text>
                      {org.owner.status !== 'active' && <StatusBadge status={org.owner.status} />}
                    </Stack>
                  ) : (
                    '—'
                  )}
                </Table.Td>
                <Table.Td ta="right" data-testid="suborg-sims">
                  {org.simCount.toLocaleString(locale)}
                </Table.Td>
                <Table.Td ta="right">{org.userCount.toLocaleString(locale)}</Table.Td>
                <Table.Td ta="right" w={56}>
                  <Menu position="bottom-end" withinPortal>
                    <Menu.Target>
                      <ActionIcon
                        variant="subtle"
                        color="gray"
                        size="lg"
                        aria-label={t('users.actionsFor', { name: org.name })}
                        data-testid="suborg-actions"
                      >
                        <IconDots size={18} aria-hidden="true" />
                      </ActionIcon>
                    </Menu.Target>
                    <Menu.Dropdown>
                      <Menu.Item
                        leftSection={<IconPencil size={16} aria-hidden="true" />}
                        onClick={() => onAction('rename', org)}
                        data-testid="suborg-rename"
                      >
                        {t('orgs.rename')}
                      </Menu.Item>
                      <Menu.Item
                        color="red"
                        disabled={blocker !== null}
                        leftSection={<IconTrash size={16} aria-hidden="true" />}
                        onClick={() => onAction('delete', org)}
                        data-testid="suborg-delete"
                      >
                        {t('orgs.delete')}
                        {blocker && (
                          <Text size="xs" c="dimmed" maw={240} data-testid="suborg-delete-reason">
                            {t(blocker, { count: org.simCount.toLocaleString(locale) })}
                          </Text>
                        )}
                      </Menu.Item>
                    </Menu.Dropdown>
                  </Menu>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
