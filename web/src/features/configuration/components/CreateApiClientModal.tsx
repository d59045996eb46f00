/** The modal that creates an API client and then shows its secret, once, with a copy button. */
import { apiClientActsAs } from '@contracts/permissions.js';
import { minChosenSecretLength, secretWeakness } from '@contracts/secret-strength.js';
import {
  ActionIcon,
  Alert,
  Button,
  Checkbox,
  Code,
  CopyButton,
  Group,
  Modal,
  PasswordInput,
  Stack,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconCheck, IconCopy } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useFormErrorHandler } from '../../../lib/errors.js';
import { useT } from '../../../lib/i18n.js';
import { useMe } from '../../../lib/session.js';
import { apiClientsQueryKey, type CreatedApiClient, createApiClient } from '../api.js';

const namePattern = /^[a-z0-9_-]{3,40}$/;

/** A value with a copy button next to it. */
function CopyField({ label, value, testId }: { label: string; value: string; testId: string }) {
  const t = useT();
  return (
    <Stack gap={4}>
      <Text size="sm" fw={500}>
        {label}
      </Text>
      <Group gap="xs" wrap="nowrap">
        <Code
          block
          style={{ flex: 1, overflowWrap: 'anywhere', whiteSpace: 'pre-wrap' }}
          data-testid={testId}
        >
          {value}
        </Code>
        <CopyButton value={value} timeout={2000}>
          {({ copied, copy }) => (
            <Tooltip label={copied ? t('config.apiAccess.copied') : t('config.apiAccess.copy')} withArrow>
              <ActionIcon
                variant="light"
                color={copied ? 'teal' : 'gray'}
                onClick={copy}
                aria-label={`${t('config.apiAccess.copy')}: ${label}`}
                data-testid={`${testId}-copy`}
              >
                {copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
              </ActionIcon>
            </Tooltip>
          )}
        </CopyButton>
      </Group>
    </Stack>
  );
}

function CreateForm({
  onCreated,
  onCancel,
}: {
  onCreated: (c: CreatedApiClient) => void;
  onCancel: () => void;
}) {
  const t = useT();
  const me = useMe();
  const queryClient = useQueryClient();
  const form = useForm({
    initialValues: { name: '', readOnly: false, ownSecret: false, secret: '' },
    validate: {
      name: (v) => (namePattern.test(v.trim()) ? null : t('config.apiAccess.nameInvalid')),
      secret: (v, values) => {
        if (!values.ownSecret) return null;
        if (v.length < minChosenSecretLength)
          return t('config.apiAccess.secretTooShort', { min: minChosenSecretLength });
        return secretWeakness(v) ? t('config.apiAccess.secretMix') : null;
      },
    },
  });
  const onError = useFormErrorHandler(form);
  const mutation = useMutation({
    mutationFn: (values: typeof form.values) =>
      createApiClient({
        name: values.name.trim(),
        readOnly: values.readOnly,
        ...(values.ownSecret ? { secret: values.secret } : {}),
      }),
    onSuccess: (created) => {
      void queryClient.invalidateQueries({ queryKey: apiClientsQueryKey });
      onCreated(created);
    },
    onError,
  });
  const prefix = me.organisation.accountNumber ?? '';
  // a client never does more than its creator could (a User's cannot top up, a 3rd party's cannot change SIMs)
  const actsAs = me.role === 'operator' ? null : apiClientActsAs(me.role);
  return (
    <form onSubmit={form.onSubmit((values) => mutation.mutate(values))} noValidate>
      <Stack gap="sm">
        <TextInput
          label={t('config.apiAccess.name')}
          description={t('config.apiAccess.nameHint', {
            clientId: `${prefix}_${form.values.name.trim() || '…'}`,
          })}
          required
          maxLength={40}
          autoComplete="off"
          data-autofocus
          data-testid="api-client-name"
          {...form.getInputProps('name')}
        />
        <Checkbox
          label={t('config.apiAccess.readOnlyLabel')}
          data-testid="api-client-readonly"
          {...form.getInputProps('readOnly', { type: 'checkbox' })}
        />
        {actsAs && (
          <Alert color="blue" data-testid="api-client-acts-as-note">
            {t('config.apiAccess.actsAsNote', { role: t(`roles.${actsAs}`) })}
          </Alert>
        )}
        <Checkbox
          label={t('config.apiAccess.ownSecret')}
          data-testid="api-client-own-secret"
          {...form.getInputProps('ownSecret', { type: 'checkbox' })}
        />
        {form.values.ownSecret && (
          <PasswordInput
            label={t('config.apiAccess.secret')}
            description={t('config.apiAccess.secretHint', { min: minChosenSecretLength })}
            required
            maxLength={200}
            autoComplete="new-password"
            data-testid="api-client-secret"
            {...form.getInputProps('secret')}
          />
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={mutation.isPending} data-testid="api-client-submit">
            {t('config.apiAccess.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function CreatedView({ created, onDone }: { created: CreatedApiClient; onDone: () => void }) {
  const t = useT();
  const example = `curl -u '${created.clientId}:<secret>' -H 'content-type: application/json' \\\n  -d '{"grant_type":"client_credentials"}' ${window.location.origin}/api/v1/oauth/token`;
  return (
    <Stack gap="md" data-testid="api-client-created">
      <Alert color="yellow" role="status">
        {t('config.apiAccess.secretOnce')}
      </Alert>
      <CopyField label={t('config.apiAccess.clientId')} value={created.clientId} testId="created-client-id" />
      <CopyField
        label={t('config.apiAccess.secret')}
        value={created.clientSecret}
        testId="created-client-secret"
      />
      <CopyField label={t('config.apiAccess.tokenExample')} value={example} testId="created-token-example" />
      <Group justify="flex-end">
        <Button onClick={onDone} data-testid="api-client-done">
          {t('config.apiAccess.stored')}
        </Button>
      </Group>
    </Stack>
  );
}

/** Create an API client in a modal; after creation the same modal shows the secret once. */
export function CreateApiClientModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const t = useT();
  const [created, setCreated] = useState<CreatedApiClient | null>(null);
  const close = () => {
    setCreated(null);
    onClose();
  };
  return (
    <Modal
      opened={opened}
      onClose={close}
      title={created ? t('config.apiAccess.createdTitle') : t('config.apiAccess.create')}
      size="lg"
      closeOnClickOutside={!created}
      data-testid="api-client-modal"
    >
      {opened &&
        (created ? (
          <CreatedView created={created} onDone={close} />
        ) : (
          <CreateForm onCreated={setCreated} onCancel={close} />
        ))}
    </Modal>
  );
}
