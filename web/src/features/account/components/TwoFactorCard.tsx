/** Two-factor authentication: set up with a QR code and a confirming code, or turn off with the password. */
import {
  Badge,
  Button,
  Code,
  Group,
  Image,
  Modal,
  PasswordInput,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDisclosure } from '@mantine/hooks';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { SectionCard } from '../../../components/SectionCard.js';
import { isApiError } from '../../../lib/api.js';
import { notifySuccess, useFormErrorHandler, useNotifyError } from '../../../lib/errors.js';
import { useT } from '../../../lib/i18n.js';
import { meQueryKey, useMe } from '../../../lib/session.js';
import { checkRequired } from '../../../lib/validation.js';
import { disableTotp, enableTotp, startTotpSetup, type TotpSetup } from '../api.js';

function EnableTotp({ setup, onDone }: { setup: TotpSetup; onDone: () => void }) {
  const t = useT();
  const queryClient = useQueryClient();
  const form = useForm({
    initialValues: { code: '' },
    validate: { code: (value) => (/^\d{6}$/.test(value) ? null : t('validation.totp')) },
  });
  const onError = useFormErrorHandler(form);
  const mutation = useMutation({
    mutationFn: (code: string) => enableTotp(code),
    onSuccess: () => {
      notifySuccess(t('totp.enabled'));
      onDone();
      void queryClient.invalidateQueries({ queryKey: meQueryKey });
    },
    onError: (err) => {
      if (isApiError(err, 'invalid_totp')) form.setFieldError('code', t('errors.invalid_totp'));
      else onError(err);
    },
  });

  return (
    <Stack gap="sm" data-testid="totp-setup">
      <Text size="sm">{t('totp.scan')}</Text>
      <Image src={setup.qrDataUrl} alt={t('totp.qrAlt')} w={200} h={200} fit="contain" />
      <Text size="sm">
        {t('totp.secret')}:{' '}
        <Code data-testid="totp-secret" style={{ wordBreak: 'break-all' }}>
          {setup.secret}
        </Code>
      </Text>
      <form onSubmit={form.onSubmit((values) => mutation.mutate(values.code))} noValidate>
        <Group align="flex-end">
          <TextInput
            label={t('totp.code')}
            inputMode="numeric"
            autoComplete="one-time-code"
            maxLength={6}
            required
            w={180}
            {...form.getInputProps('code')}
          />
          <Button type="submit" loading={mutation.isPending}>
            {t('totp.enable')}
          </Button>
        </Group>
      </form>
    </Stack>
  );
}

function DisableTotp() {
  const t = useT();
  const queryClient = useQueryClient();
  const [opened, { open, close }] = useDisclosure(false);
  const form = useForm({ initialValues: { password: '' }, validate: { password: checkRequired(t) } });
  const onError = useFormErrorHandler(form);
  const mutation = useMutation({
    mutationFn: (password: string) => disableTotp(password),
    onSuccess: () => {
      notifySuccess(t('totp.disabled'));
      close();
      form.reset();
      void queryClient.invalidateQueries({ queryKey: meQueryKey });
    },
    onError,
  });

  return (
    <>
      <Group>
        <Button variant="default" color="red" onClick={open}>
          {t('totp.disable')}
        </Button>
      </Group>
      <Modal opened={opened} onClose={close} title={t('totp.disableTitle')}>
        <form onSubmit={form.onSubmit((values) => mutation.mutate(values.password))} noValidate>
          <Stack gap="sm">
            <PasswordInput
              label={t('totp.disablePassword')}
              autoComplete="current-password"
              required
              data-autofocus
              {...form.getInputProps('password')}
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                {t('common.cancel')}
              </Button>
              <Button type="submit" color="red" loading={mutation.isPending}>
                {t('totp.disable')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  );
}

/** The "Two-factor authentication" section. */
export function TwoFactorCard() {
  const t = useT();
  const me = useMe();
  const notifyError = useNotifyError();
  const setup = useMutation({ mutationFn: startTotpSetup, onError: notifyError });
  const enabled = me.user.totpEnabled;

  return (
    <SectionCard title={t('totp.title')} testId="totp-card">
      <Group gap="sm">
        <Badge color={enabled ? 'green' : 'gray'} variant="light">
          {enabled ? t('totp.stateOn') : t('totp.stateOff')}
        </Badge>
      </Group>
      <Text size="sm">{enabled ? t('totp.isOn') : t('totp.isOff')}</Text>
      {enabled && <DisableTotp />}
      {!enabled && !setup.data && (
        <Group>
          <Button onClick={() => setup.mutate()} loading={setup.isPending}>
            {t('totp.setup')}
          </Button>
        </Group>
      )}
      {!enabled && setup.data && <EnableTotp setup={setup.data} onDone={() => setup.reset()} />}
    </SectionCard>
  );
}
