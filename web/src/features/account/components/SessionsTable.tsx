/** The user's signed-in sessions, each revocable; revoking the current one signs out. */
import { Alert, Badge, Button, Group, Table, Text, VisuallyHidden } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useNavigate } from 'react-router';
import { PageLoader } from '../../../components/PageLoader.js';
import { SectionCard } from '../../../components/SectionCard.js';
import { errorMessage, notifySuccess, useNotifyError } from '../../../lib/errors.js';
import { useFormatDateTime } from '../../../lib/format.js';
import { useT } from '../../../lib/i18n.js';
import { listSessions, revokeSession, type SessionInfo, sessionsQueryKey } from '../api.js';

/** The "Signed-in sessions" section. */
export function SessionsTable() {
  const t = useT();
  const formatDateTime = useFormatDateTime();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const notifyError = useNotifyError();
  const sessions = useQuery({ queryKey: sessionsQueryKey, queryFn: ({ signal }) => listSessions(signal) });

  const revoke = useMutation({
    mutationFn: (session: SessionInfo) => revokeSession(session.id),
    onSuccess: (_answer, session) => {
      if (session.current) {
        queryClient.clear();
        void navigate('/login', { replace: true });
        return;
      }
      notifySuccess(t('sessions.revoked'));
      void queryClient.invalidateQueries({ queryKey: sessionsQueryKey });
    },
    onError: notifyError,
  });

  let content: ReactNode;
  if (sessions.isPending) content = <PageLoader />;
  else if (sessions.isError)
    content = (
      <Alert color="red" role="alert">
        <Group justify="space-between">
          <Text size="sm">{errorMessage(t, sessions.error)}</Text>
          <Button size="xs" variant="light" onClick={() => void sessions.refetch()}>
            {t('common.retry')}
          </Button>
        </Group>
      </Alert>
    );
  else if (sessions.data.items.length === 0) content = <Text c="dimmed">{t('sessions.empty')}</Text>;
  else
    content = (
      <Table.ScrollContainer minWidth={640}>
        <Table verticalSpacing="xs" striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('sessions.createdAt')}</Table.Th>
              <Table.Th>{t('sessions.lastSeenAt')}</Table.Th>
              <Table.Th>{t('sessions.ip')}</Table.Th>
              <Table.Th>{t('sessions.userAgent')}</Table.Th>
              <Table.Th>
                <VisuallyHidden>{t('sessions.revoke')}</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {sessions.data.items.map((session) => (
              <Table.Tr
                key={session.id}
                data-testid="session-row"
                data-current={session.current || undefined}
              >
                <Table.Td>{formatDateTime(session.createdAt)}</Table.Td>
                <Table.Td>{formatDateTime(session.lastSeenAt)}</Table.Td>
                <Table.Td>{session.ip ?? t('common.none')}</Table.Td>
                <Table.Td maw={280}>
                  <Group gap="xs" wrap="nowrap">
                    <Text size="sm" truncate="end" title={session.userAgent ?? undefined}>
                      {session.userAgent ?? t('common.none')}
                    </Text>
                    {session.current && (
                      <Badge size="sm" variant="light" style={{ flexShrink: 0 }}>
                        {t('sessions.current')}
                      </Badge>
                    )}
                  </Group>
                </Table.Td>
                <Table.Td ta="right">
                  <Button
                    size="xs"
                    variant="light"
                    color="red"
                    onClick={() => revoke.mutate(session)}
                    loading={revoke.isPending && revoke.variables?.id === session.id}
                  >
                    {t('sessions.revoke')}
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    );

  return (
    <SectionCard title={t('sessions.title')} testId="sessions">
      {content}
    </SectionCard>
  );
}
