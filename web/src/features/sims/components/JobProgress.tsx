/** The progress panel of a bulk job: polls it every second, shows the counts and, when done, the SIMs that failed. */
import { Alert, Anchor, CloseButton, Group, Paper, Progress, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { Link } from 'react-router';
import { useLanguage, useT } from '../../../lib/i18n.js';
import { type BulkAction, getJob, type Job, listFailedJobItems } from '../api.js';

function finished(job: Job | undefined): boolean {
  return job?.status === 'done' || job?.status === 'failed';
}

/** Follows one job until it ends; `onFinished` runs once then (to refresh the list). */
export function JobProgress({
  jobId,
  action,
  onFinished,
  onClose,
}: {
  jobId: string;
  action: BulkAction;
  onFinished: () => void;
  onClose: () => void;
}) {
  const t = useT();
  const { locale } = useLanguage();
  const n = (value: number) => new Intl.NumberFormat(locale).format(value);
  const job = useQuery({
    queryKey: ['jobs', jobId],
    queryFn: ({ signal }) => getJob(jobId, signal),
    refetchInterval: (query) => (finished(query.state.data) ? false : 1000),
  });
  const done = finished(job.data);
  const failedItems = useQuery({
    queryKey: ['jobs', jobId, 'failed'],
    queryFn: ({ signal }) => listFailedJobItems(jobId, signal),
    enabled: done && (job.data?.failed ?? 0) > 0,
  });
  const reported = useRef(false);
  useEffect(() => {
    if (done && !reported.current) {
      reported.current = true;
      onFinished();
    }
  }, [done, onFinished]);

  const data = job.data;
  const percent = data && data.total > 0 ? (data.processed / data.total) * 100 : done ? 100 : 0;
  return (
    <Paper withBorder radius="md" p="md" data-testid="job-progress" data-status={data?.status ?? 'queued'}>
      <Stack gap="sm">
        <Group justify="space-between" wrap="nowrap">
          <Title order={2} fz="h5">
            {t('sims.job.title', { action: t(`sims.bulk.${action}`) })}
          </Title>
          <CloseButton onClick={onClose} aria-label={t('common.close')} />
        </Group>
        <Progress
          value={percent}
          animated={!done}
          striped={!done}
          color={data?.status === 'failed' ? 'red' : data?.failed ? 'orange' : 'blue'}
          aria-label={t('sims.job.progress', {
            processed: n(data?.processed ?? 0),
            total: n(data?.total ?? 0),
          })}
        />
        <Group gap="lg" wrap="wrap">
          <Text size="sm">
            {data ? t(`sims.job.status.${data.status}`) : t('common.loading')}
            {' · '}
            {t('sims.job.progress', { processed: n(data?.processed ?? 0), total: n(data?.total ?? 0) })}
          </Text>
          <Text size="sm" c="teal.8" data-testid="job-ok">
            {t('sims.job.ok', { count: n(data?.succeeded ?? 0) })}
          </Text>
          <Text size="sm" c="dimmed" data-testid="job-unchanged">
            {t('sims.job.unchanged', { count: n(data?.unchanged ?? 0) })}
          </Text>
          <Text size="sm" c={data?.failed ? 'red.8' : 'dimmed'} data-testid="job-failed">
            {t('sims.job.failed', { count: n(data?.failed ?? 0) })}
          </Text>
        </Group>
        {job.isError && (
          <Alert color="red" role="alert">
            {t('sims.job.lost')}
          </Alert>
        )}
        {data?.status === 'failed' && data.error && (
          <Alert color="red" role="alert">
            {data.error}
          </Alert>
        )}
        {failedItems.data && failedItems.data.items.length > 0 && (
          <Stack gap={4}>
            <Text size="sm" fw={600}>
              {failedItems.data.total > failedItems.data.items.length
                ? t('sims.job.failedSome', {
                    shown: n(failedItems.data.items.length),
                    total: n(failedItems.data.total),
                  })
                : t('sims.job.failedList')}
            </Text>
            <Table.ScrollContainer minWidth={360} mah={240}>
              <Table verticalSpacing={4} fz="sm" data-testid="job-failed-items">
                <Table.Tbody>
                  {failedItems.data.items.map((item) => (
                    <Table.Tr key={item.iccid}>
                      <Table.Td
                        style={{ fontFamily: 'var(--mantine-font-family-monospace)', whiteSpace: 'nowrap' }}
                      >
                        <Anchor component={Link} to={`/sims/${item.iccid}`} size="sm">
                          {item.iccid}
                        </Anchor>
                      </Table.Td>
                      <Table.Td>{item.message ?? t('common.none')}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </Stack>
        )}
      </Stack>
    </Paper>
  );
}
