/** What a page that failed to render shows instead, inside the portal's shell (the route's errorElement). */
import { Button, Code, EmptyState, Paper } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useRouteError } from 'react-router';
import { useT } from '../lib/i18n.js';

/** "This page failed" with the error's message and a reload button; the navigation stays usable. */
export function PageError() {
  const t = useT();
  const error = useRouteError();
  const message = error instanceof Error ? error.message : String(error);
  return (
    <Paper withBorder radius="md" p="xl" data-testid="page-error">
      <EmptyState
        title={t('pageError.title')}
        description={t('pageError.text')}
        icon={<IconAlertTriangle aria-hidden="true" />}
      >
        <Code block>{message}</Code>
        <EmptyState.Actions>
          <Button onClick={() => window.location.reload()}>{t('pageError.reload')}</Button>
        </EmptyState.Actions>
      </EmptyState>
    </Paper>
  );
}
