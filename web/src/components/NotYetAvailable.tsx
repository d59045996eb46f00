/** The honest empty state of a capability this installation does not offer yet: no fake figures, no fake rows. */
import { EmptyState, Paper, Text } from '@mantine/core';
import { IconHourglassEmpty } from '@tabler/icons-react';
import { useT } from '../lib/i18n.js';

/** Says what the area will do and that it is not available yet. */
export function NotYetAvailable({ title, description }: { title: string; description: string }) {
  const t = useT();
  return (
    <Paper withBorder radius="md" p="xl">
      <EmptyState
        title={title}
        description={description}
        icon={<IconHourglassEmpty aria-hidden="true" />}
        withIndicatorBackground
      >
        <Text size="sm" fw={600} ta="center" mt="sm" data-testid="not-yet-available">
          {t('common.notYet')}
        </Text>
      </EmptyState>
    </Paper>
  );
}
