/** /setup?token=…: creates the first operator account of a fresh installation, then goes to /login. */
import { Alert, Button, Group, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation } from '@tanstack/react-query';
import { useNavigate, useSearchParams } from 'react-router';
import { AuthLayout } from '../../../components/AuthLayout.js';
import { isApiError } from '../../../lib/api.js';
import { notifySuccess, useFormErrorHandler } from '../../../lib/errors.js';
import { useT } from '../../../lib/i18n.js';
import { checkEmail, checkNewPassword, checkRequired } from '../../../lib/validation.js';
import { setup } from '../api.js';

/** The first-start page. */
export function SetupPage() {
  const t = useT();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const form = useForm({
    initialValues: { email: '', firstName: '', lastName: '', password: '' },
    validate: {
      email: checkEmail(t),
      firstName: checkRequired(t),
      lastName: checkRequired(t),
      password: checkNewPassword(t),
    },
  });
  const onError = useFormErrorHandler(form);
  const mutation = useMutation({
    mutationFn: (values: typeof form.values) =>
      setup({
        token,
        email: values.email.trim(),
        firstName: values.firstName.trim(),
        lastName: values.lastName.trim(),
        password: values.password,
      }),
    onSuccess: () => {
      notifySuccess(t('setup.done'));
      void navigate('/login', { replace: true });
    },
    onError: (err) => {
      if (!isApiError(err, 'invalid_token')) onError(err);
    },
  });

  const invalidLink = !token || isApiError(mutation.error, 'invalid_token');
  return (
    <AuthLayout title={t('setup.title')} testId="page-setup">
      {invalidLink ? (
        <Alert color="red" role="alert" data-testid="invalid-link">
          {token ? t('errors.invalid_token') : t('setup.missingToken')}
        </Alert>
      ) : (
        <form onSubmit={form.onSubmit((values) => mutation.mutate(values))} noValidate>
          <Stack gap="sm">
            <Text size="sm" c="dimmed">
              {t('setup.intro')}
            </Text>
            <TextInput
              label={t('setup.email')}
              type="email"
              autoComplete="username"
              required
              {...form.getInputProps('email')}
            />
            <Group grow align="flex-start">
              <TextInput
                label={t('setup.firstName')}
                autoComplete="given-name"
                required
                {...form.getInputProps('firstName')}
              />
              <TextInput
                label={t('setup.lastName')}
                autoComplete="family-name"
                required
                {...form.getInputProps('lastName')}
              />
            </Group>
            <PasswordInput
              label={t('setup.password')}
              description={t('common.passwordHint')}
              autoComplete="new-password"
              required
              {...form.getInputProps('password')}
            />
            <Button type="submit" loading={mutation.isPending} fullWidth>
              {t('setup.submit')}
            </Button>
          </Stack>
        </form>
      )}
    </AuthLayout>
  );
}
