/** The SMS tab of a SIM: MT and MO messages with their state, and a send form that counts parts live. */
import { smsSourceAddress } from '@contracts/sms.js';
import { countSegments, maxSmsParts } from '@contracts/sms-encoding.js';
import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Card,
  Group,
  Pagination,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { IconTrash, IconX } from '@tabler/icons-react';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ConfirmModal } from '../../../components/ConfirmModal.js';
import { isApiError } from '../../../lib/api.js';
import { errorMessage, fieldMessage, notifySuccess, useNotifyError } from '../../../lib/errors.js';
import { useFormatDateTime } from '../../../lib/format.js';
import { useT } from '../../../lib/i18n.js';
import { useCan } from '../../../lib/session.js';
import { simsQueryKey } from '../api.js';
import { deleteSms, listSms, type SmsMessage, type SmsStatus, sendSms, smsQueryKey } from '../smsApi.js';

const pageSize = 20;
const statusColor: Record<SmsStatus, string> = {
  pending: 'gray',
  submitted: 'blue',
  delivered: 'teal',
  failed: 'red',
  expired: 'orange',
  cancelled: 'gray',
};

/** An SMS's state. */
export function SmsStatusBadge({ status }: { status: SmsStatus }) {
  const t = useT();
  return (
    <Badge color={statusColor[status]} variant="light" miw="max-content" data-sms-status={status}>
      {t(`sms.status.${status}`)}
    </Badge>
  );
}

function SendForm({
  iccid,
  left,
  defaultSource,
}: {
  iccid: string;
  left: number | undefined;
  defaultSource: string | undefined;
}) {
  const t = useT();
  const queryClient = useQueryClient();
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  // the sender stays for the next message: a console sends a series from the same one
  const [sender, setSender] = useState('');
  const [senderError, setSenderError] = useState<string | null>(null);
  const count = countSegments(text);
  const tooLong = count.segments > maxSmsParts;
  const overVolume = left !== undefined && text.length > 0 && count.segments > left;
  const senderValid = sender.trim() === '' || smsSourceAddress.safeParse(sender).success;
  const send = useMutation({
    mutationFn: () => sendSms(iccid, text, sender.trim() || undefined),
    onSuccess: () => {
      setText('');
      setError(null);
      setSenderError(null);
      notifySuccess(t('sms.sent'));
      void queryClient.invalidateQueries({ queryKey: smsQueryKey(iccid) });
      void queryClient.invalidateQueries({ queryKey: [...simsQueryKey, 'detail', iccid] });
    },
    onError: (err: unknown) => {
      const senderField = isApiError(err)
        ? err.fieldErrors.find((f) => f.field === 'sourceAddress')
        : undefined;
      if (senderField) {
        setSenderError(t('sms.form.senderInvalid'));
        return;
      }
      const field = isApiError(err) ? err.fieldErrors.find((f) => f.field === 'text') : undefined;
      // the volume refusal in the user's language; other field errors by their reason where they have one
      setError(
        field && !isApiError(err, 'sms_volume_exhausted') ? fieldMessage(t, field) : errorMessage(t, err),
      );
    },
  });
  return (
    <Card withBorder padding="md" data-testid="sms-form">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!senderValid) setSenderError(t('sms.form.senderInvalid'));
          else if (text.length > 0 && !tooLong) send.mutate();
        }}
      >
        <Stack gap="xs">
          <Textarea
            label={t('sms.form.text')}
            placeholder={t('sms.form.placeholder')}
            value={text}
            onChange={(e) => {
              setText(e.currentTarget.value);
              setError(null);
            }}
            autosize
            minRows={3}
            maxRows={10}
            error={error ?? (tooLong ? t('sms.form.tooLong', { max: maxSmsParts }) : undefined)}
            data-testid="sms-text"
          />
          <Group
            gap="xs"
            data-testid="sms-counter"
            data-segments={count.segments}
            data-encoding={count.encoding}
          >
            <Badge variant="outline" color={count.encoding === 'gsm7' ? 'blue' : 'violet'} tt="none">
              {count.encoding === 'gsm7' ? 'GSM-7' : 'UCS-2'}
            </Badge>
            <Text size="sm" c={tooLong ? 'red' : 'dimmed'}>
              {t('sms.form.count', {
                characters: count.characters,
                segments: count.segments,
                remaining: count.remaining,
              })}
            </Text>
            {count.encoding === 'ucs2' && text.length > 0 && (
              <Text size="xs" c="dimmed">
                {t('sms.form.ucs2Hint')}
              </Text>
            )}
          </Group>
          <Group justify="space-between" align="flex-end" wrap="wrap" gap="xs">
            <TextInput
              label={t('sms.form.sender')}
              description={t('sms.form.senderHint', { default: defaultSource ?? '' })}
              placeholder={defaultSource}
              value={sender}
              onChange={(e) => {
                setSender(e.currentTarget.value);
                setSenderError(null);
              }}
              onBlur={() => setSenderError(senderValid ? null : t('sms.form.senderInvalid'))}
              error={senderError}
              maxLength={16}
              style={{ flex: '1 1 240px', maxWidth: 400 }}
              data-testid="sms-sender"
            />
            <Group gap="xs">
              {left !== undefined && (
                <Text size="sm" c={left <= 0 || overVolume ? 'red' : 'dimmed'} data-testid="sms-volume-left">
                  {t('sms.form.volumeLeft', { left: Math.max(0, left) })}
                </Text>
              )}
              <Button
                type="submit"
                loading={send.isPending}
                disabled={text.trim().length === 0 || tooLong}
                data-testid="sms-send"
              >
                {t('sms.form.send')}
              </Button>
            </Group>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

/** SMS of one SIM. */
export function SmsTab({ iccid }: { iccid: string }) {
  const t = useT();
  const formatDateTime = useFormatDateTime();
  const notifyError = useNotifyError();
  const queryClient = useQueryClient();
  const canOperate = useCan('sims:operate');
  const [page, setPage] = useState(1);
  const sms = useQuery({
    queryKey: [...smsQueryKey(iccid), page],
    queryFn: ({ signal }) => listSms(iccid, page, pageSize, signal),
    placeholderData: keepPreviousData,
    // refresh while a message still waits for the SMS centre
    refetchInterval: (q) =>
      q.state.data?.items.some((m) => m.status === 'pending' || m.status === 'submitted') ? 1500 : 15_000,
  });
  // cancelling a pending SMS and removing one from the history cannot be undone: both are asked first
  const [confirming, setConfirming] = useState<SmsMessage | null>(null);
  const remove = useMutation({
    mutationFn: (m: SmsMessage) => deleteSms(iccid, m.id),
    onSuccess: (r) => {
      setConfirming(null);
      notifySuccess(t(r.outcome === 'cancelled' ? 'sms.cancelled' : 'sms.removed'));
      void queryClient.invalidateQueries({ queryKey: smsQueryKey(iccid) });
    },
    onError: (err) => {
      setConfirming(null);
      notifyError(err);
    },
  });
  const total = sms.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const volume = sms.data?.volume;
  const left = volume ? volume.smsTotal - volume.smsUsed : undefined;

  return (
    <Stack gap="md" data-testid="sim-sms">
      {canOperate && <SendForm iccid={iccid} left={left} defaultSource={sms.data?.defaultSource} />}
      {sms.isError && !sms.data ? (
        <Alert color="red" role="alert">
          <Group justify="space-between">
            <Text size="sm">{errorMessage(t, sms.error)}</Text>
            <Button size="xs" variant="light" onClick={() => void sms.refetch()}>
              {t('common.retry')}
            </Button>
          </Group>
        </Alert>
      ) : sms.data && total === 0 ? (
        <Text c="dimmed" size="sm" py="md" data-testid="sms-empty">
          {t('sms.empty')}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={720}>
          <Table verticalSpacing="xs" style={{ opacity: sms.isPlaceholderData ? 0.6 : 1 }}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('sms.col.time')}</Table.Th>
                <Table.Th>{t('sms.col.direction')}</Table.Th>
                <Table.Th>{t('sms.col.route')}</Table.Th>
                <Table.Th>{t('sms.col.text')}</Table.Th>
                <Table.Th>{t('sms.col.parts')}</Table.Th>
                <Table.Th>{t('sms.col.status')}</Table.Th>
                {canOperate && <Table.Th aria-label={t('sms.col.actions')} />}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(sms.data?.items ?? []).map((m) => (
                <Table.Tr
                  key={m.id}
                  data-testid="sms-row"
                  data-direction={m.direction}
                  data-status={m.status}
                >
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    <Text size="sm">{formatDateTime(m.createdAt)}</Text>
                    {m.doneAt && m.direction === 'MT' && (
                      <Text size="xs" c="dimmed">
                        {t('sms.doneAt', { time: formatDateTime(m.doneAt) })}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Badge variant="outline" color={m.direction === 'MT' ? 'blue' : 'grape'} tt="none">
                      {t(m.direction === 'MT' ? 'sms.direction.MT' : 'sms.direction.MO')}
                    </Badge>
                    {m.actor && (
                      <Text size="xs" c="dimmed">
                        {m.actor}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }} data-testid="sms-route">
                    <Text size="sm" ff="monospace">
                      {m.from ?? '—'}
                    </Text>
                    <Text size="xs" c="dimmed" ff="monospace">
                      → {m.to}
                    </Text>
                  </Table.Td>
                  <Table.Td style={{ overflowWrap: 'anywhere', whiteSpace: 'pre-wrap', maxWidth: 420 }}>
                    <Text size="sm">{m.text}</Text>
                    {m.error && (
                      <Text size="xs" c="red">
                        {m.error}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">
                      {m.segments} · {m.encoding === 'gsm7' ? 'GSM-7' : 'UCS-2'}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <SmsStatusBadge status={m.status} />
                  </Table.Td>
                  {canOperate && (
                    <Table.Td>
                      <Tooltip label={t(m.status === 'pending' ? 'sms.cancel' : 'sms.remove')}>
                        <ActionIcon
                          variant="subtle"
                          color="gray"
                          aria-label={t(m.status === 'pending' ? 'sms.cancel' : 'sms.remove')}
                          loading={remove.isPending && remove.variables?.id === m.id}
                          onClick={() => setConfirming(m)}
                          data-testid="sms-delete"
                        >
                          {m.status === 'pending' ? <IconX size={16} /> : <IconTrash size={16} />}
                        </ActionIcon>
                      </Tooltip>
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {pages > 1 && <Pagination total={pages} value={page} onChange={setPage} size="sm" />}
      <ConfirmModal
        opened={confirming !== null}
        title={t(confirming?.status === 'pending' ? 'sms.cancel' : 'sms.remove')}
        message={t(confirming?.status === 'pending' ? 'sms.cancelConfirm' : 'sms.removeConfirm')}
        confirmLabel={t(confirming?.status === 'pending' ? 'sms.cancel' : 'sms.remove')}
        loading={remove.isPending}
        onConfirm={() => confirming && remove.mutate(confirming)}
        onClose={() => setConfirming(null)}
      />
    </Stack>
  );
}
