/** The operator's actions on a customer's Owners: invite another, resend the link, deactivate, activate. */
import type { UserSummary } from '@contracts/users.js';
import { ActionIcon, Button, Group, Menu, Modal, Stack, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconDots, IconMailForward, IconPlayerPlay, IconUserOff, IconUserPlus } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ConfirmModal } from '../../../components/ConfirmModal.js';
import { PersonFields } from '../../../components/PersonFields.js';
import { isApiError } from '../../../lib/api.js';
import { fieldMessage, notifySuccess, useNotifyError } from '../../../lib/errors.js';
import { useT } from '../../../lib/i18n.js';
import { checkEmail, checkRequired } from '../../../lib/validation.js';
import { inviteCustomerOwner, ownerAction } from '../api.js';
import { customerKeys } from './customerKeys.js';

type Action = 'invitation' | 'deactivate' | 'activate';

/** Whether deactivating this Owner would leave the organisation without an Owner who can sign in. */
function isLastOwner(user: UserSummary, users: UserSummary[]) {
  return !users.some((u) => u.role === 'owner' && u.id !== user.id && u.status !== 'deactivated');
}

/** The actions menu of one user row; only Owners have operator actions. */
export function OwnerActions({
  orgId,
  user,
  users,
}: {
  orgId: string;
  user: UserSummary;
  users: UserSummary[];
}) {
  const t = useT();
  const queryClient = useQueryClient();
  const notifyError = useNotifyError();
  const [confirming, setConfirming] = useState(false);
  const name = `${user.firstName} ${user.lastName}`;
  const act = useMutation({
    mutationFn: (action: Action) => ownerAction(orgId, user.id, action),
    onSuccess: (_answer, action) => {
      const done = {
        invitation: 'owners.resent',
        deactivate: 'owners.deactivated',
        activate: 'owners.activated',
      } as const;
      notifySuccess(t(done[action], { name, email: user.email }));
      setConfirming(false);
      void queryClient.invalidateQueries({ queryKey: customerKeys.detail(orgId) });
    },
    onError: notifyError,
  });
  if (user.role !== 'owner') return null;
  const last = isLastOwner(user, users);
  return (
    <>
      <Menu position="bottom-end" withinPortal>
        <Menu.Target>
          <ActionIcon
            variant="subtle"
            color="gray"
            size="lg"
            aria-label={t('users.actionsFor', { name })}
            loading={act.isPending}
            data-testid="owner-actions"
          >
            <IconDots size={18} aria-hidden="true" />
          </ActionIcon>
        </Menu.Target>
        <Menu.Dropdown>
          {user.status === 'invited' && (
            <Menu.Item
              leftSection={<IconMailForward size={16} aria-hidden="true" />}
              onClick={() => act.mutate('invitation')}
              data-testid="owner-resend"
            >
              {t('owners.resend')}
            </Menu.Item>
          )}
          {user.status === 'deactivated' ? (
            <Menu.Item
              leftSection={<IconPlayerPlay size={16} aria-hidden="true" />}
              onClick={() => act.mutate('activate')}
              data-testid="owner-activate"
            >
              {t('owners.activate')}
            </Menu.Item>
          ) : (
            <Menu.Item
              color="red"
              disabled={last}
              leftSection={<IconUserOff size={16} aria-hidden="true" />}
              onClick={() => setConfirming(true)}
              data-testid="owner-deactivate"
            >
              {t('owners.deactivate')}
              {last && (
                <Text size="xs" c="dimmed" maw={240}>
                  {t('owners.lastOwner')}
                </Text>
              )}
            </Menu.Item>
          )}
        </Menu.Dropdown>
      </Menu>
      <ConfirmModal
        opened={confirming}
        title={t('owners.deactivateTitle')}
        message={t('owners.deactivateConfirm', { name, email: user.email })}
        confirmLabel={t('owners.deactivate')}
        loading={act.isPending}
        onConfirm={() => act.mutate('deactivate')}
        onClose={() => setConfirming(false)}
      />
    </>
  );
}

/** The button and modal that invite another Owner into the customer organisation. */
export function InviteOwnerButton({ orgId }: { orgId: string }) {
  const t = useT();
  const [opened, setOpened] = useState(false);
  return (
    <>
      <Button
        size="xs"
        variant="light"
        leftSection={<IconUserPlus size={14} aria-hidden="true" />}
        onClick={() => setOpened(true)}
        data-testid="owner-invite"
      >
        {t('owners.invite')}
      </Button>
      <Modal
        opened={opened}
        onClose={() => setOpened(false)}
        title={t('owners.inviteTitle')}
        data-testid="owner-invite-modal"
      >
        {opened && <InviteOwnerForm orgId={orgId} onDone={() => setOpened(false)} />}
      </Modal>
    </>
  );
}

function InviteOwnerForm({ orgId, onDone }: { orgId: string; onDone: () => void }) {
  const t = useT();
  const queryClient = useQueryClient();
  const notifyError = useNotifyError();
  const required = checkRequired(t);
  const form = useForm({
    initialValues: { firstName: '', lastName: '', email: '' },
    validate: { firstName: required, lastName: required, email: checkEmail(t) },
  });
  const mutation = useMutation({
    mutationFn: (v: typeof form.values) =>
      inviteCustomerOwner(orgId, {
        firstName: v.firstName.trim(),
        lastName: v.lastName.trim(),
        email: v.email.trim(),
      }),
    onSuccess: (created) => {
      notifySuccess(t('owners.invited', { email: created.email }));
      void queryClient.invalidateQueries({ queryKey: customerKeys.detail(orgId) });
      onDone();
    },
    onError: (err) => {
      if (isApiError(err) && err.fieldErrors.length) {
        const errors: Record<string, string> = {};
        for (const e of err.fieldErrors) if (e.field in form.values) errors[e.field] = fieldMessage(t, e);
        if (Object.keys(errors).length) return form.setErrors(errors);
      }
      notifyError(err);
    },
  });
  return (
    <form onSubmit={form.onSubmit((v) => mutation.mutate(v))} noValidate>
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          {t('orgs.ownerHint')}
        </Text>
        <PersonFields
          firstName={form.getInputProps('firstName')}
          lastName={form.getInputProps('lastName')}
          email={form.getInputProps('email')}
          testIdPrefix="owner"
          autoFocus
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={mutation.isPending} data-testid="owner-invite-submit">
            {t('users.sendInvitation')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
