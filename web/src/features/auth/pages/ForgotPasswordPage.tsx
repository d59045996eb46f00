/** /forgot-password: asks for a reset link; always answers the same, whether the account exists or not. */
import { Alert, Anchor, Button, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation } from '@tanstack/react-query';
import { Link } from 'react-router';
import { AuthLayout } from '../../../components/AuthLayout.js';
import { useFormErrorHandler } from '../../../lib/errors.js';
import { useT } from '../../../lib/i18n.js';
import { checkEmail } from '../../../lib/validation.js';
import { forgotPassword } from '../api.js';

/** The "forgot password" page. */
export function ForgotPasswordPage() {
  const t = useT();
  const form = useForm({ initialValues: { email: '' }, validate: { email: checkEmail(t) } });
  const onError = useFormErrorHandler(form);
  const mutation = useMutation({
    mutationFn: (email: string) => forgotPassword(email),
    onError,
  });

  return (
    <AuthLayout title={t('forgot.title')} testId="page-forgot-password">
      {mutation.isSuccess ? (
        <Alert color="green" role="status" data-testid="forgot-sent">
          {t('forgot.sent', { email: mutation.variables })}
        </Alert>
      ) : (
        <form onSubmit={form.onSubmit((values) => mutation.mutate(values.email.trim()))} noValidate>
          <Stack gap="sm">
            <Text size="sm" c="dimmed">
              {t('forgot.intro')}
            </Text>
            <TextInput
              label={t('login.email')}
              type="email"
              autoComplete="email"
              required
              {...form.getInputProps('email')}
            />
            <Button type="submit" loading={mutation.isPending} fullWidth>
              {t('forgot.submit')}
            </Button>
          </Stack>
        </form>
      )}
      <Anchor component={Link} to="/login" size="sm" ta="center">
        {t('forgot.backToLogin')}
      </Anchor>
    </AuthLayout>
  );
}
