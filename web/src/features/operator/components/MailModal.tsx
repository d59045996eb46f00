/** The full text of one outbox mail, with its links clickable. */
import { Alert, Divider, Group, Modal, SimpleGrid, Stack, Text } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import type { ReactNode } from 'react';
import { LinkifiedText } from '../../../components/LinkifiedText.js';
import { useFormatDateTime } from '../../../lib/format.js';
import { useT } from '../../../lib/i18n.js';
import type { OutboxMail } from '../api.js';
import { MailStatusBadge } from './MailStatusBadge.js';

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Stack gap={0} miw={0}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" component="div" style={{ overflowWrap: 'anywhere' }}>
        {children}
      </Text>
    </Stack>
  );
}

/** Opens when `mail` is set; `onClose` clears it. */
export function MailModal({ mail, onClose }: { mail: OutboxMail | null; onClose: () => void }) {
  const t = useT();
  const formatDateTime = useFormatDateTime();
  const phone = useMediaQuery('(max-width: 36em)');
  return (
    <Modal opened={mail !== null} onClose={onClose} title={mail?.subject} size="xl" fullScreen={phone}>
      {mail && (
        <Stack gap="md" data-testid="mail-modal">
          <SimpleGrid cols={{ base: 1, xs: 2, sm: 3 }} spacing="sm">
            <Field label={t('mail.to')}>{mail.to}</Field>
            <Field label={t('mail.template')}>{mail.template}</Field>
            <Field label={t('mail.language')}>{mail.language}</Field>
            <Field label={t('mail.status')}>
              <Group gap="xs">
                <MailStatusBadge status={mail.status} />
              </Group>
            </Field>
            <Field label={t('mail.createdAt')}>{formatDateTime(mail.createdAt)}</Field>
            <Field label={t('mail.sentAt')}>{formatDateTime(mail.sentAt)}</Field>
          </SimpleGrid>
          {mail.error && (
            <Alert color="red" title={t('mail.error')}>
              {mail.error}
            </Alert>
          )}
          <Divider />
          <LinkifiedText text={mail.text} />
        </Stack>
      )}
    </Modal>
  );
}
