/** The actions menu of one row: only what the signed-in user may do to that user is offered. */
import { administrableRoles, type CustomerRole } from '@contracts/permissions.js';
import { ActionIcon, Menu } from '@mantine/core';
import {
  IconDots,
  IconMailForward,
  IconPencil,
  IconPlayerPlay,
  IconPlayerStop,
  IconTrash,
} from '@tabler/icons-react';
import { useT } from '../../../lib/i18n.js';
import { useMe } from '../../../lib/session.js';
import type { UserSummary } from '../api.js';

/** What a row's menu can ask the page to do. */
export type UserAction = 'edit' | 'resend' | 'deactivate' | 'activate' | 'delete';

/** Whether the signed-in user may administer this user at all (never themselves, never an Owner). */
export function useMayAdminister(): (user: UserSummary) => boolean {
  const me = useMe();
  const allowed = administrableRoles(me.role);
  return (user) => user.id !== me.user.id && allowed.includes(user.role as CustomerRole);
}

/** The "…" menu of a row, or nothing when no action is allowed. */
export function UserActions({
  user,
  onAction,
}: {
  user: UserSummary;
  onAction: (action: UserAction, user: UserSummary) => void;
}) {
  const t = useT();
  const mayAdminister = useMayAdminister();
  if (!mayAdminister(user)) return null;
  const name = `${user.firstName} ${user.lastName}`;
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <ActionIcon
          variant="subtle"
          color="gray"
          aria-label={t('users.actionsFor', { name })}
          data-testid="user-actions"
        >
          <IconDots size={18} aria-hidden="true" />
        </ActionIcon>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Item
          leftSection={<IconPencil size={16} aria-hidden="true" />}
          onClick={() => onAction('edit', user)}
          data-testid="user-edit"
        >
          {t('users.edit')}
        </Menu.Item>
        {user.status === 'invited' && (
          <Menu.Item
            leftSection={<IconMailForward size={16} aria-hidden="true" />}
            onClick={() => onAction('resend', user)}
            data-testid="user-resend"
          >
            {t('users.resend')}
          </Menu.Item>
        )}
        {user.status === 'deactivated' ? (
          <Menu.Item
            leftSection={<IconPlayerPlay size={16} aria-hidden="true" />}
            onClick={() => onAction('activate', user)}
            data-testid="user-activate"
          >
            {t('users.activate')}
          </Menu.Item>
        ) : (
          <Menu.Item
            leftSection={<IconPlayerStop size={16} aria-hidden="true" />}
            onClick={() => onAction('deactivate', user)}
            data-testid="user-deactivate"
          >
            {t('users.deactivate')}
          </Menu.Item>
        )}
        <Menu.Divider />
        <Menu.Item
          color="red"
          leftSection={<IconTrash size={16} aria-hidden="true" />}
          onClick={() => onAction('delete', user)}
          data-testid="user-delete"
        >
          {t('users.delete')}
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
