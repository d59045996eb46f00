/** The title row of a page inside the shell; also sets the browser tab title. */
import { Group, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import type { ReactNode } from 'react';
import { useT } from '../lib/i18n.js';

/** A page heading with optional actions on the right. */
export function PageHeader({ title, actions }: { title: string; actions?: ReactNode }) {
  const t = useT();
  useDocumentTitle(`${title} · ${t('app.name')}`);
  return (
    <Group justify="space-between" mb="lg" wrap="wrap">
      <Title order={1} fz="h2">
        {title}
      </Title>
      {actions}
    </Group>
  );
}
