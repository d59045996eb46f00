/** Operator console → Network: the SMSC connection — bind state, counters, throughput, and its URL. */
import { Alert, Badge, Button, Group, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { PageLoader } from '../../../components/PageLoader.js';
import { SectionCard } from '../../../components/SectionCard.js';
import { isApiError } from '../../../lib/api.js';
import { errorMessage, fieldMessage, notifySuccess } from '../../../lib/errors.js';
import { useFormatDateTime } from '../../../lib/format.js';
import { useLanguage, useT } from '../../../lib/i18n.js';
import { getSmsc, type SmscStatus, smscQueryKey, updateSmsc } from '../smscApi.js';

const stateColor: Record<SmscStatus['state'], string> = {
  bound: 'teal',
  connecting: 'yellow',
  disconnected: 'red',
};
const counters = [
  'submitted',
  'delivered',
  'failed',
  'mo',
  'moRefused',
  'throttled',
  'rejected',
  'reconnects',
  'malformed',
] as const;

/** The SMSC panel; refreshes every 2 s. */
export function SmscPanel() {
  const t = useT();
  const { locale } = useLanguage();
  const formatDateTime = useFormatDateTime();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState(false);
  const [url, setUrl] = useState('');
  const [error, setError] = useState<string | null>(null);
  const smsc = useQuery({
    queryKey: smscQueryKey,
    queryFn: ({ signal }) => getSmsc(signal),
    refetchInterval: 2000,
  });
  const save = useMutation({
    mutationFn: () => updateSmsc(url.trim() ? url.trim() : null),
    onSuccess: (data) => {
      queryClient.setQueryData(smscQueryKey, data);
      setEditing(false);
      setError(null);
      notifySuccess(t('smsc.saved'));
    },
    onError: (err: unknown) => {
      const field = isApiError(err) ? err.fieldErrors.find((f) => f.field === 'url') : undefined;
      setError(field ? fieldMessage(t, field) : errorMessage(t, err));
    },
  });
  const n = (v: number) => v.toLocaleString(locale);

  return (
    <SectionCard title={t('smsc.title')} testId="smsc-panel">
      {smsc.isPending ? (
        <PageLoader />
      ) : smsc.isError ? (
        <Alert color="red" role="alert">
          {errorMessage(t, smsc.error)}
        </Alert>
      ) : (
        <Stack gap="sm">
          <Group gap="xs" data-testid="smsc-state" data-state={smsc.data.state}>
            <Badge color={stateColor[smsc.data.state]} variant="light">
              {t(`smsc.state.${smsc.data.state}`)}
            </Badge>
            {smsc.data.since && (
              <Text size="sm" c="dimmed">
                {t('smsc.since', { time: formatDateTime(smsc.data.since) })}
              </Text>
            )}
          </Group>
          <Group gap="xs">
            <Text size="sm" fw={500}>
              {t('smsc.url')}:
            </Text>
            <Text size="sm" ff="monospace" data-testid="smsc-url">
              {smsc.data.url ?? '—'}
            </Text>
            <Text size="xs" c="dimmed">
              ({t(`smsc.urlSource.${smsc.data.urlSource}`)})
            </Text>
          </Group>
          {smsc.data.lastError && smsc.data.state !== 'bound' && (
            <Alert color="orange" title={t('smsc.lastError')}>
              {smsc.data.lastError}
            </Alert>
          )}
          <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="xs">
            {counters.map((c) => (
              <Stack key={c} gap={0}>
                <Text size="xs" c="dimmed">
                  {t(`smsc.counter.${c}`)}
                </Text>
                <Text fw={600} data-testid={`smsc-counter-${c}`}>
                  {n(smsc.data.counters[c])}
                </Text>
              </Stack>
            ))}
          </SimpleGrid>
          <Text size="sm">
            <Text span fw={500}>
              {t('smsc.throughput')}:{' '}
            </Text>
            {t('smsc.perSecond', {
              submit: n(smsc.data.throughput.submitPerSecond),
              deliver: n(smsc.data.throughput.deliverPerSecond),
            })}
          </Text>
          <Text size="sm" c="dimmed">
            {t('smsc.window', { ...smsc.data.window, outbox: n(smsc.data.outbox) })}
          </Text>
          {editing ? (
            <form
              onSubmit={(e) => {
                e.preventDefault();
                save.mutate();
              }}
            >
              <Group align="flex-start" gap="xs">
                <TextInput
                  label={t('smsc.url')}
                  description={t('smsc.urlHint')}
                  value={url}
                  onChange={(e) => {
                    setUrl(e.currentTarget.value);
                    setError(null);
                  }}
                  error={error}
                  style={{ flex: 1 }}
                  autoComplete="off"
                  data-testid="smsc-url-input"
                />
                <Group gap="xs" mt={44}>
                  <Button type="submit" loading={save.isPending} data-testid="smsc-save">
                    {t('smsc.save')}
                  </Button>
                  <Button variant="default" onClick={() => setEditing(false)}>
                    {t('smsc.cancel')}
                  </Button>
                </Group>
              </Group>
            </form>
          ) : (
            <Group>
              <Button
                variant="light"
                size="xs"
                onClick={() => {
                  setUrl('');
                  setEditing(true);
                }}
                data-testid="smsc-edit"
              >
                {t('smsc.edit')}
              </Button>
            </Group>
          )}
        </Stack>
      )}
    </SectionCard>
  );
}
