/** /login: e-mail and password, a two-factor code when the server asks for one, rate-limit countdown. */
import { Alert, Anchor, Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useInterval } from '@mantine/hooks';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { AuthLayout } from '../../../components/AuthLayout.js';
import { isApiError, rememberCsrfToken } from '../../../lib/api.js';
import { applyFieldErrors, errorMessage } from '../../../lib/errors.js';
import { useT } from '../../../lib/i18n.js';
import { meQueryKey } from '../../../lib/session.js';
import { checkEmail, checkRequired } from '../../../lib/validation.js';
import { login } from '../api.js';

/** A same-site path to return to after sign-in, or `/`. */
function safeNext(next: string | null): string {
  return next?.startsWith('/') && !next.startsWith('//') ? next : '/';
}

/** The sign-in page. */
export function LoginPage() {
  const t = useT();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const queryClient = useQueryClient();
  const [totpRequired, setTotpRequired] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [waitSeconds, setWaitSeconds] = useState<number | null>(null);
  const totpRef = useRef<HTMLInputElement>(null);

  const countdown = useInterval(() => setWaitSeconds((s) => (s && s > 1 ? s - 1 : null)), 1000);
  useEffect(() => {
    if (waitSeconds === null) countdown.stop();
  }, [waitSeconds, countdown]);

  const form = useForm({
    initialValues: { email: '', password: '', totp: '' },
    validate: {
      email: checkEmail(t),
      password: checkRequired(t),
      totp: (value) => (!totpRequired || /^\d{6}$/.test(value) ? null : t('validation.totp')),
    },
  });

  const mutation = useMutation({
    mutationFn: (values: typeof form.values) =>
      login({
        email: values.email.trim(),
        password: values.password,
        ...(totpRequired ? { totp: values.totp } : {}),
      }),
    onSuccess: async (answer) => {
      rememberCsrfToken(answer.csrfToken);
      await queryClient.resetQueries({ queryKey: meQueryKey });
      void navigate(safeNext(params.get('next')), { replace: true });
    },
    onError: (err) => {
      setFailure(null);
      if (isApiError(err, 'totp_required')) {
        setTotpRequired(true);
        setTimeout(() => totpRef.current?.focus(), 0);
        return;
      }
      if (isApiError(err, 'invalid_totp')) {
        form.setFieldError('totp', t('errors.invalid_totp'));
        return;
      }
      if (isApiError(err) && err.status === 429) {
        if (err.retryAfter !== undefined && err.retryAfter > 0) {
          setWaitSeconds(err.retryAfter);
          countdown.start();
        } else {
          setFailure(t('login.tooManyLater'));
        }
        return;
      }
      applyFieldErrors(form, err, t);
      setFailure(errorMessage(t, err));
    },
  });

  const waiting = waitSeconds !== null;
  return (
    <AuthLayout title={t('login.title')} testId="page-login">
      <form onSubmit={form.onSubmit((values) => mutation.mutate(values))} noValidate>
        <Stack gap="sm">
          {waiting && (
            <Alert color="orange" role="alert" data-testid="login-throttled">
              {t('login.tooMany', { seconds: waitSeconds })}
            </Alert>
          )}
          {failure && !waiting && (
            <Alert color="red" role="alert" data-testid="login-error">
              {failure}
            </Alert>
          )}
          <TextInput
            label={t('login.email')}
            type="email"
            autoComplete="username"
            required
            readOnly={totpRequired}
            {...form.getInputProps('email')}
          />
          <PasswordInput
            label={t('login.password')}
            autoComplete="current-password"
            required
            readOnly={totpRequired}
            {...form.getInputProps('password')}
          />
          {totpRequired && (
            <TextInput
              ref={totpRef}
              label={t('login.totp')}
              description={t('login.totpHint')}
              inputMode="numeric"
              autoComplete="one-time-code"
              maxLength={6}
              required
              {...form.getInputProps('totp')}
            />
          )}
          <Button type="submit" loading={mutation.isPending} disabled={waiting} fullWidth mt="xs">
            {t('login.submit')}
          </Button>
          <Anchor component={Link} to="/forgot-password" size="sm" ta="center">
            {t('login.forgot')}
          </Anchor>
        </Stack>
      </form>
    </AuthLayout>
  );
}
