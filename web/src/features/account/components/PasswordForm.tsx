/** Changes the user's password: current password, new password twice. */
import { Button, Group, PasswordInput, SimpleGrid, Stack } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation } from '@tanstack/react-query';
import { SectionCard } from '../../../components/SectionCard.js';
import { notifySuccess, useFormErrorHandler } from '../../../lib/errors.js';
import { useT } from '../../../lib/i18n.js';
import { checkNewPassword, checkRequired } from '../../../lib/validation.js';
import { changePassword } from '../api.js';

/** The "Password" section. */
export function PasswordForm() {
  const t = useT();
  const form = useForm({
    initialValues: { currentPassword: '', newPassword: '', confirm: '' },
    validate: {
      currentPassword: checkRequired(t),
      newPassword: checkNewPassword(t),
      confirm: (value, values) => (value === values.newPassword ? null : t('validation.passwordMismatch')),
    },
  });
  const onError = useFormErrorHandler(form);
  const mutation = useMutation({
    mutationFn: (values: typeof form.values) => changePassword(values.currentPassword, values.newPassword),
    onSuccess: () => {
      notifySuccess(t('password.changed'));
      form.reset();
    },
    onError,
  });

  return (
    <SectionCard title={t('password.title')} testId="password-form">
      <form onSubmit={form.onSubmit((values) => mutation.mutate(values))} noValidate>
        <Stack gap="sm">
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <PasswordInput
              label={t('password.current')}
              autoComplete="current-password"
              required
              {...form.getInputProps('currentPassword')}
            />
            <PasswordInput
              label={t('password.new')}
              description={t('common.passwordHint')}
              autoComplete="new-password"
              required
              {...form.getInputProps('newPassword')}
            />
            <PasswordInput
              label={t('password.confirm')}
              autoComplete="new-password"
              required
              {...form.getInputProps('confirm')}
            />
          </SimpleGrid>
          <Group>
            <Button type="submit" loading={mutation.isPending}>
              {t('password.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </SectionCard>
  );
}
