/** The red "could not load" box with a retry button, shared by the account sections. */
import { Alert, Button, Group, Text } from '@mantine/core';
import { errorMessage } from '../../../lib/errors.js';
import { useT } from '../../../lib/i18n.js';

/** Shows why a query failed and offers to try again. */
export function QueryError({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  const t = useT();
  return (
    <Alert color="red" role="alert">
      <Group justify="space-between">
        <Text size="sm">{errorMessage(t, error)}</Text>
        <Button size="xs" variant="light" onClick={onRetry}>
          {t('common.retry')}
        </Button>
      </Group>
    </Alert>
  );
}
