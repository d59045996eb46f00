/** The frame of the pages shown before sign-in: a centred card with the product name and a language switch. */
import { Box, Center, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import type { ReactNode } from 'react';
import { useT } from '../lib/i18n.js';
import { LanguageSwitch } from './LanguageSwitch.js';

/** Wraps a public page; `testId` goes on the root for browser tests. */
export function AuthLayout({
  title,
  testId,
  children,
}: {
  title: string;
  testId: string;
  children: ReactNode;
}) {
  const t = useT();
  useDocumentTitle(`${title} · ${t('app.name')}`);
  return (
    <Center mih="100dvh" p="md" bg="var(--mantine-color-body)" data-testid={testId}>
      <Box w="100%" maw={420}>
        <Group justify="space-between" mb="md">
          <Text fw={700} fz="xl" c="blue.7">
            {t('app.name')}
          </Text>
          <LanguageSwitch />
        </Group>
        <Paper withBorder shadow="sm" p="xl" radius="md">
          <Stack gap="md">
            <Title order={1} fz="h2">
              {title}
            </Title>
            {children}
          </Stack>
        </Paper>
      </Box>
    </Center>
  );
}
