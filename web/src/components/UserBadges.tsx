/** The role and the state of a user as coloured badges. */
import type { Role } from '@contracts/permissions.js';
import type { UserStatus } from '@contracts/users.js';
import { Badge } from '@mantine/core';
import { useT } from '../lib/i18n.js';

const roleColors: Record<Role, string> = {
  owner: 'grape',
  admin: 'indigo',
  user: 'blue',
  readonly: 'gray',
  thirdparty: 'orange',
  operator: 'dark',
};

const statusColors: Record<UserStatus, string> = {
  invited: 'yellow',
  active: 'green',
  deactivated: 'red',
};

/** Shows the role's name ("Owner", "Read only", …). */
export function RoleBadge({ role }: { role: Role }) {
  const t = useT();
  return (
    <Badge color={roleColors[role]} variant="light" tt="none" data-testid="user-role">
      {t(`roles.${role}`)}
    </Badge>
  );
}

/** Shows "Invited", "Active" or "Deactivated". */
export function StatusBadge({ status }: { status: UserStatus }) {
  const t = useT();
  return (
    <Badge color={statusColors[status]} variant="dot" tt="none" data-testid="user-status">
      {t(`users.status.${status}`)}
    </Badge>
  );
}
