/** The modal form that invites a user or edits a user's name and role. */
import { administrableRoles, type CustomerRole } from '@contracts/permissions.js';
import { Button, Group, Modal, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { notifySuccess, useFormErrorHandler } from '../../../lib/errors.js';
import { useT } from '../../../lib/i18n.js';
import { useMe } from '../../../lib/session.js';
import { checkEmail, checkRequired } from '../../../lib/validation.js';
import { inviteUser, type UserChange, type UserSummary, updateUser, usersQueryKey } from '../api.js';

/** What the modal does: invite a new user, or edit one. */
export type UserFormTarget = { mode: 'invite' } | { mode: 'edit'; user: UserSummary };

const maxName = 100;

function UserForm({ target, onDone }: { target: UserFormTarget; onDone: () => void }) {
  const t = useT();
  const me = useMe();
  const queryClient = useQueryClient();
  const existing = target.mode === 'edit' ? target.user : undefined;
  const roles = administrableRoles(me.role);
  const required = checkRequired(t);
  const name = (value: string) =>
    required(value) ?? (value.trim().length > maxName ? t('users.tooLong', { max: maxName }) : null);
  const form = useForm<{ firstName: string; lastName: string; email: string; role: string }>({
    initialValues: {
      firstName: existing?.firstName ?? '',
      lastName: existing?.lastName ?? '',
      email: existing?.email ?? '',
      role: existing?.role ?? (roles.includes('user') ? 'user' : (roles[0] ?? '')),
    },
    validate: {
      firstName: name,
      lastName: name,
      email: existing ? () => null : checkEmail(t),
      role: (value) => (roles.includes(value as CustomerRole) ? null : t('validation.required')),
    },
  });
  const onError = useFormErrorHandler(form);

  const mutation = useMutation({
    mutationFn: (values: typeof form.values): Promise<UserSummary | null> => {
      const fields = {
        firstName: values.firstName.trim(),
        lastName: values.lastName.trim(),
        role: values.role as CustomerRole,
      };
      if (!existing) return inviteUser({ ...fields, email: values.email.trim() });
      const change: UserChange = {};
      if (fields.firstName !== existing.firstName) change.firstName = fields.firstName;
      if (fields.lastName !== existing.lastName) change.lastName = fields.lastName;
      if (fields.role !== existing.role) change.role = fields.role;
      if (Object.keys(change).length === 0) return Promise.resolve(null);
      return updateUser(existing.id, change);
    },
    onSuccess: (answer) => {
      if (!existing && answer) notifySuccess(t('users.invited', { email: answer.email }));
      else notifySuccess(answer ? t('users.saved') : t('users.nothingChanged'));
      if (answer) void queryClient.invalidateQueries({ queryKey: usersQueryKey });
      onDone();
    },
    onError,
  });

  return (
    <form onSubmit={form.onSubmit((values) => mutation.mutate(values))} noValidate>
      <Stack gap="sm">
        {!existing && (
          <Text size="sm" c="dimmed">
            {t('users.inviteIntro')}
          </Text>
        )}
        <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
          <TextInput
            label={t('users.firstName')}
            autoComplete="off"
            required
            maxLength={maxName}
            data-autofocus
            data-testid="user-first-name"
            {...form.getInputProps('firstName')}
          />
          <TextInput
            label={t('users.lastName')}
            autoComplete="off"
            required
            maxLength={maxName}
            data-testid="user-last-name"
            {...form.getInputProps('lastName')}
          />
        </SimpleGrid>
        {existing ? (
          <TextInput label={t('users.email')} value={existing.email} readOnly variant="filled" />
        ) : (
          <TextInput
            label={t('users.email')}
            description={t('users.emailHint')}
            type="email"
            autoComplete="off"
            required
            maxLength={254}
            data-testid="user-email"
            {...form.getInputProps('email')}
          />
        )}
        <Select
          label={t('users.role')}
          description={t('users.roleHint')}
          data={roles.map((role) => ({ value: role, label: t(`roles.${role}`) }))}
          allowDeselect={false}
          required
          comboboxProps={{ withinPortal: true }}
          data-testid="user-role-select"
          {...form.getInputProps('role')}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={mutation.isPending} data-testid="user-submit">
            {existing ? t('common.save') : t('users.sendInvitation')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Invite or edit a user in a modal; closed while `target` is null. */
export function UserFormModal({ target, onClose }: { target: UserFormTarget | null; onClose: () => void }) {
  const t = useT();
  const title =
    target?.mode === 'edit'
      ? t('users.editTitle', { name: `${target.user.firstName} ${target.user.lastName}` })
      : t('users.invite');
  return (
    <Modal opened={target !== null} onClose={onClose} title={title} size="lg" data-testid="user-modal">
      {target && <UserForm target={target} onDone={onClose} />}
    </Modal>
  );
}
