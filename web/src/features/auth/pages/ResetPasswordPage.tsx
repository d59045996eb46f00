/** /reset-password and /set-password: a new password, typed twice, with the token from the e-mail link. */
import { Alert, Anchor, Button, PasswordInput, Stack } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation } from '@tanstack/react-query';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { AuthLayout } from '../../../components/AuthLayout.js';
import { isApiError } from '../../../lib/api.js';
import { notifySuccess, useFormErrorHandler } from '../../../lib/errors.js';
import { useT } from '../../../lib/i18n.js';
import { checkNewPassword } from '../../../lib/validation.js';
import { resetPassword } from '../api.js';

function PasswordLinkPage({ mode }: { mode: 'reset' | 'set' }) {
  const t = useT();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const form = useForm({
    initialValues: { password: '', confirm: '' },
    validate: {
      password: checkNewPassword(t),
      confirm: (value, values) => (value === values.password ? null : t('validation.passwordMismatch')),
    },
  });
  const onError = useFormErrorHandler(form);
  const mutation = useMutation({
    mutationFn: (password: string) => resetPassword(token, password),
    onSuccess: () => {
      notifySuccess(t('reset.done'));
      void navigate('/login', { replace: true });
    },
    onError: (err) => {
      if (!isApiError(err, 'invalid_token')) onError(err);
    },
  });

  const title = mode === 'reset' ? t('reset.titleReset') : t('reset.titleSet');
  const invalidLink = !token || isApiError(mutation.error, 'invalid_token');
  return (
    <AuthLayout title={title} testId={mode === 'reset' ? 'page-reset-password' : 'page-set-password'}>
      {invalidLink ? (
        <Alert color="red" role="alert" data-testid="invalid-link">
          {token ? t('reset.invalidLink') : t('reset.missingToken')}
        </Alert>
      ) : (
        <form onSubmit={form.onSubmit((values) => mutation.mutate(values.password))} noValidate>
          <Stack gap="sm">
            <PasswordInput
              label={t('reset.password')}
              description={t('common.passwordHint')}
              autoComplete="new-password"
              required
              {...form.getInputProps('password')}
            />
            <PasswordInput
              label={t('reset.confirm')}
              autoComplete="new-password"
              required
              {...form.getInputProps('confirm')}
            />
            <Button type="submit" loading={mutation.isPending} fullWidth>
              {t('reset.submit')}
            </Button>
          </Stack>
        </form>
      )}
      {invalidLink ? (
        <Anchor component={Link} to="/forgot-password" size="sm" ta="center">
          {t('reset.requestNew')}
        </Anchor>
      ) : (
        <Anchor component={Link} to="/login" size="sm" ta="center">
          {t('forgot.backToLogin')}
        </Anchor>
      )}
    </AuthLayout>
  );
}

/** The page behind a "reset your password" e-mail. */
export function ResetPasswordPage() {
  return <PasswordLinkPage mode="reset" />;
}

/** The page behind an invitation e-mail ("set your password"). */
export function SetPasswordPage() {
  return <PasswordLinkPage mode="set" />;
}
