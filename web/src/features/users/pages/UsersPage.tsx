/** /users: the organisation's people — search, invite, edit, resend, deactivate, activate, delete. */
import { Alert, Button, Group, Pagination, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconSearch, IconUserPlus } from '@tabler/icons-react';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ConfirmModal } from '../../../components/ConfirmModal.js';
import { PageHeader } from '../../../components/PageHeader.js';
import { PageLoader } from '../../../components/PageLoader.js';
import { errorMessage, notifySuccess, useNotifyError } from '../../../lib/errors.js';
import { useLanguage, useT } from '../../../lib/i18n.js';
import {
  activateUser,
  deactivateUser,
  deleteUser,
  listUsers,
  resendInvitation,
  type UserSummary,
  usersQueryKey,
} from '../api.js';
import type { UserAction } from '../components/UserActions.js';
import { UserFormModal, type UserFormTarget } from '../components/UserFormModal.js';
import { UsersTable } from '../components/UsersTable.js';

const pageSize = 50;

/** A disruptive action waiting for confirmation. */
type Pending = { action: 'deactivate' | 'delete'; user: UserSummary };

/** The Users tab. */
export function UsersPage() {
  const t = useT();
  const { locale } = useLanguage();
  const queryClient = useQueryClient();
  const notifyError = useNotifyError();
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search, 300);
  const [page, setPage] = useState(1);
  const [form, setForm] = useState<UserFormTarget | null>(null);
  const [pending, setPending] = useState<Pending | null>(null);

  const users = useQuery({
    queryKey: [...usersQueryKey, { page, pageSize, q }],
    queryFn: ({ signal }) => listUsers({ page, pageSize, q }, signal),
    placeholderData: keepPreviousData,
  });
  const total = users.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const fullName = (u: UserSummary) => `${u.firstName} ${u.lastName}`;

  const act = useMutation({
    mutationFn: ({ action, user }: { action: Exclude<UserAction, 'edit'>; user: UserSummary }) => {
      if (action === 'resend') return resendInvitation(user.id);
      if (action === 'deactivate') return deactivateUser(user.id);
      if (action === 'activate') return activateUser(user.id);
      return deleteUser(user.id);
    },
    onSuccess: (_answer, { action, user }) => {
      const done = {
        resend: 'users.resent',
        deactivate: 'users.deactivated',
        activate: 'users.activated',
        delete: 'users.deleted',
      } as const;
      notifySuccess(t(done[action], { name: fullName(user), email: user.email }));
      setPending(null);
      void queryClient.invalidateQueries({ queryKey: usersQueryKey });
    },
    onError: notifyError,
  });

  const onAction = (action: UserAction, user: UserSummary) => {
    if (action === 'edit') setForm({ mode: 'edit', user });
    else if (action === 'deactivate' || action === 'delete') setPending({ action, user });
    else act.mutate({ action, user });
  };

  return (
    <div data-testid="page-users">
      <PageHeader
        title={t('tabs.users')}
        actions={
          <Button
            leftSection={<IconUserPlus size={16} aria-hidden="true" />}
            onClick={() => setForm({ mode: 'invite' })}
            data-testid="invite-user"
          >
            {t('users.invite')}
          </Button>
        }
      />
      <Group justify="space-between" align="flex-end" mb="md" wrap="wrap">
        <TextInput
          label={t('users.search')}
          placeholder={t('users.searchPlaceholder')}
          leftSection={<IconSearch size={16} aria-hidden="true" />}
          type="search"
          value={search}
          onChange={(event) => {
            setSearch(event.currentTarget.value);
            setPage(1);
          }}
          w={{ base: '100%', xs: 320 }}
          data-testid="users-search"
        />
        {users.data && (
          <Text size="sm" c="dimmed" data-testid="users-total">
            {t('users.total', { total: total.toLocaleString(locale) })}
          </Text>
        )}
      </Group>

      {users.isPending && <PageLoader />}
      {users.isError && (
        <Alert color="red" role="alert">
          <Group justify="space-between">
            <Text size="sm">{errorMessage(t, users.error)}</Text>
            <Button size="xs" variant="light" onClick={() => void users.refetch()}>
              {t('common.retry')}
            </Button>
          </Group>
        </Alert>
      )}
      {users.data && users.data.items.length === 0 && (
        <Text c="dimmed" py="xl" ta="center" data-testid="users-empty">
          {q ? t('users.noMatch') : t('users.empty')}
        </Text>
      )}
      {users.data && users.data.items.length > 0 && (
        <UsersTable users={users.data.items} dimmed={users.isPlaceholderData} onAction={onAction} />
      )}
      {pages > 1 && (
        <Group justify="center" mt="md">
          <Pagination total={pages} value={page} onChange={setPage} />
        </Group>
      )}

      <UserFormModal target={form} onClose={() => setForm(null)} />
      <ConfirmModal
        opened={pending !== null}
        title={pending?.action === 'delete' ? t('users.deleteTitle') : t('users.deactivateTitle')}
        message={
          pending
            ? t(pending.action === 'delete' ? 'users.deleteConfirm' : 'users.deactivateConfirm', {
                name: fullName(pending.user),
                email: pending.user.email,
              })
            : ''
        }
        confirmLabel={pending?.action === 'delete' ? t('users.delete') : t('users.deactivate')}
        loading={act.isPending}
        onConfirm={() => pending && act.mutate(pending)}
        onClose={() => setPending(null)}
      />
    </div>
  );
}
