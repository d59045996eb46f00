/** App-wide providers: i18n, Mantine (theme, notifications) and TanStack Query. */
import { createTheme, MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { type ReactNode, useMemo } from 'react';
import { isApiError } from '../lib/api.js';
import { I18nProvider, type Translate, useT } from '../lib/i18n.js';

/**
 * The theme, with the accessible labels Mantine renders itself (close, show password, paging) translated.
 * Plain `{ defaultProps }` objects, not `Component.extend`, so the entry chunk does not pull in Modal & co.
 */
function localizedTheme(t: Translate) {
  return createTheme({
    primaryColor: 'blue',
    defaultRadius: 'md',
    fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
    components: {
      PasswordInput: {
        defaultProps: { visibilityToggleButtonProps: { 'aria-label': t('common.togglePassword') } },
      },
      Modal: { defaultProps: { closeButtonProps: { 'aria-label': t('common.close') } } },
      Notification: { defaultProps: { closeButtonProps: { 'aria-label': t('common.close') } } },
      Pagination: {
        defaultProps: {
          'aria-label': t('pagination.label'),
          getControlProps: (control: 'first' | 'previous' | 'next' | 'last') => ({
            'aria-label': t(`pagination.${control}`),
          }),
        },
      },
    },
  });
}

/** The one query client of the app: no retries of client errors, no refetch on every focus. */
export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      retry: (failureCount, err) =>
        !(isApiError(err) && err.status < 500 && err.status !== 0) && failureCount < 2,
      refetchOnWindowFocus: false,
    },
  },
});

function ThemedApp({ children }: { children: ReactNode }) {
  const t = useT();
  const theme = useMemo(() => localizedTheme(t), [t]);
  return (
    <MantineProvider theme={theme} defaultColorScheme="light">
      <Notifications position="top-right" />
      <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
    </MantineProvider>
  );
}

/** Wraps the app in every provider it needs. */
export function Providers({ children }: { children: ReactNode }) {
  return (
    <I18nProvider>
      <ThemedApp>{children}</ThemedApp>
    </I18nProvider>
  );
}
