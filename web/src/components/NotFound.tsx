/** The state shown for an unknown address. */
import { Button, EmptyState, Paper } from '@mantine/core';
import { IconMapQuestion } from '@tabler/icons-react';
import { Link } from 'react-router';
import { useT } from '../lib/i18n.js';

/** "Page not found" with a way back to the start page. */
export function NotFound() {
  const t = useT();
  return (
    <Paper withBorder radius="md" p="xl" data-testid="not-found">
      <EmptyState
        title={t('notFound.title')}
        description={t('notFound.text')}
        icon={<IconMapQuestion aria-hidden="true" />}
      >
        <EmptyState.Actions>
          <Button component={Link} to="/">
            {t('notAllowed.home')}
          </Button>
        </EmptyState.Actions>
      </EmptyState>
    </Paper>
  );
}
