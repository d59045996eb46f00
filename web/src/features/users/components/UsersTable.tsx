/** The table of users: name, e-mail, role, state, last sign-in and the row's actions. */
import { Badge, Group, Table, Text, VisuallyHidden } from '@mantine/core';
import { RoleBadge, StatusBadge } from '../../../components/UserBadges.js';
import { useFormatDateTime } from '../../../lib/format.js';
import { useT } from '../../../lib/i18n.js';
import { useMe } from '../../../lib/session.js';
import type { UserSummary } from '../api.js';
import { type UserAction, UserActions } from './UserActions.js';

/** One page of users; `dimmed` while a newer page loads. */
export function UsersTable({
  users,
  dimmed,
  onAction,
}: {
  users: UserSummary[];
  dimmed: boolean;
  onAction: (action: UserAction, user: UserSummary) => void;
}) {
  const t = useT();
  const me = useMe();
  const formatDateTime = useFormatDateTime();
  return (
    <Table.ScrollContainer minWidth={760}>
      <Table
        verticalSpacing="xs"
        highlightOnHover
        style={{ opacity: dimmed ? 0.6 : 1 }}
        data-testid="users-table"
      >
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('users.name')}</Table.Th>
            <Table.Th>{t('users.email')}</Table.Th>
            <Table.Th>{t('users.role')}</Table.Th>
            <Table.Th>{t('users.state')}</Table.Th>
            <Table.Th>{t('users.lastLogin')}</Table.Th>
            <Table.Th>
              <VisuallyHidden>{t('users.actions')}</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {users.map((user) => (
            <Table.Tr key={user.id} data-testid="user-row" data-email={user.email} data-status={user.status}>
              <Table.Td>
                <Group gap="xs" wrap="nowrap">
                  <Text size="sm" fw={500}>
                    {user.firstName} {user.lastName}
                  </Text>
                  {user.id === me.user.id && (
                    <Badge size="xs" variant="outline" tt="none">
                      {t('users.you')}
                    </Badge>
                  )}
                </Group>
              </Table.Td>
              <Table.Td style={{ overflowWrap: 'anywhere' }}>{user.email}</Table.Td>
              <Table.Td>
                <RoleBadge role={user.role} />
              </Table.Td>
              <Table.Td>
                <StatusBadge status={user.status} />
              </Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>
                {user.lastLoginAt ? formatDateTime(user.lastLoginAt) : t('users.never')}
              </Table.Td>
              <Table.Td ta="right" w={56}>
                <UserActions user={user} onAction={onAction} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
