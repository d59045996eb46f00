/** The state shown on a route the user's role may not see. */
import { Button, EmptyState, Paper } from '@mantine/core';
import { IconLock } from '@tabler/icons-react';
import { Link } from 'react-router';
import { useT } from '../lib/i18n.js';

/** "Not allowed" with a way back to the start page. */
export function NotAllowed() {
  const t = useT();
  return (
    <Paper withBorder radius="md" p="xl" data-testid="not-allowed">
      <EmptyState
        title={t('notAllowed.title')}
        description={t('notAllowed.text')}
        icon={<IconLock aria-hidden="true" />}
        variant="light"
        color="red"
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
