/** The operator's view of the mail outbox: filter by recipient, paging, a row opens the full mail. */
import {
  Alert,
  Button,
  Group,
  Pagination,
  Select,
  Table,
  Text,
  TextInput,
  UnstyledButton,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconSearch } from '@tabler/icons-react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { PageLoader } from '../../../components/PageLoader.js';
import { errorMessage } from '../../../lib/errors.js';
import { useFormatDateTime } from '../../../lib/format.js';
import { useLanguage, useT } from '../../../lib/i18n.js';
import { listOutbox, type OutboxMail } from '../api.js';
import { MailModal } from './MailModal.js';
import { MailStatusBadge } from './MailStatusBadge.js';

const pageSizes = ['25', '50', '100'];

/** The "Mail outbox" area of the operator console. */
export function MailOutbox() {
  const t = useT();
  const { locale } = useLanguage();
  const formatDateTime = useFormatDateTime();
  const [to, setTo] = useState('');
  const [debouncedTo] = useDebouncedValue(to, 300);
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(25);
  const [selected, setSelected] = useState<OutboxMail | null>(null);

  const mails = useQuery({
    queryKey: ['operator', 'mails', { page, pageSize, to: debouncedTo }],
    queryFn: ({ signal }) => listOutbox({ page, pageSize, to: debouncedTo }, signal),
    placeholderData: keepPreviousData,
  });
  const total = mails.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / pageSize));

  return (
    <div data-testid="mail-outbox">
      <Group justify="space-between" align="flex-end" mb="md" wrap="wrap">
        <TextInput
          label={t('mail.filter')}
          placeholder={t('mail.filterPlaceholder')}
          leftSection={<IconSearch size={16} aria-hidden="true" />}
          type="search"
          value={to}
          onChange={(event) => {
            setTo(event.currentTarget.value);
            setPage(1);
          }}
          w={{ base: '100%', xs: 320 }}
        />
        <Group gap="sm" align="flex-end">
          {mails.data && (
            <Text size="sm" c="dimmed" data-testid="mail-total">
              {t('mail.total', { total: total.toLocaleString(locale) })}
            </Text>
          )}
          <Select
            label={t('mail.pageSize')}
            data={pageSizes}
            value={String(pageSize)}
            allowDeselect={false}
            onChange={(value) => {
              if (!value) return;
              setPageSize(Number(value));
              setPage(1);
            }}
            w={100}
          />
        </Group>
      </Group>

      {mails.isPending && <PageLoader />}
      {mails.isError && (
        <Alert color="red" role="alert">
          <Group justify="space-between">
            <Text size="sm">{errorMessage(t, mails.error)}</Text>
            <Button size="xs" variant="light" onClick={() => void mails.refetch()}>
              {t('common.retry')}
            </Button>
          </Group>
        </Alert>
      )}
      {mails.data && mails.data.items.length === 0 && (
        <Text c="dimmed" py="xl" ta="center">
          {t('mail.empty')}
        </Text>
      )}
      {mails.data && mails.data.items.length > 0 && (
        <Table.ScrollContainer minWidth={760}>
          <Table highlightOnHover verticalSpacing="xs" style={{ opacity: mails.isPlaceholderData ? 0.6 : 1 }}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('mail.createdAt')}</Table.Th>
                <Table.Th>{t('mail.to')}</Table.Th>
                <Table.Th>{t('mail.subject')}</Table.Th>
                <Table.Th>{t('mail.template')}</Table.Th>
                <Table.Th>{t('mail.status')}</Table.Th>
                <Table.Th>{t('mail.sentAt')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {mails.data.items.map((mail) => (
                <Table.Tr
                  key={mail.id}
                  onClick={() => setSelected(mail)}
                  style={{ cursor: 'pointer' }}
                  data-testid="mail-row"
                >
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(mail.createdAt)}</Table.Td>
                  <Table.Td>{mail.to}</Table.Td>
                  <Table.Td>
                    <UnstyledButton
                      onClick={(event) => {
                        event.stopPropagation();
                        setSelected(mail);
                      }}
                      fz="sm"
                      c="blue.7"
                      td="underline"
                    >
                      {mail.subject}
                    </UnstyledButton>
                  </Table.Td>
                  <Table.Td>{mail.template}</Table.Td>
                  <Table.Td>
                    <MailStatusBadge status={mail.status} />
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(mail.sentAt)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {pages > 1 && (
        <Group justify="center" mt="md">
          <Pagination total={pages} value={page} onChange={setPage} />
        </Group>
      )}
      <MailModal mail={selected} onClose={() => setSelected(null)} />
    </div>
  );
}
