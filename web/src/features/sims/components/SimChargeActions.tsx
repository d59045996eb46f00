/** Billable actions on one SIM: a top-up package, and a lifetime extension when it is due or expired. */
import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { IconCalendarPlus, IconCirclePlus } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { notifySuccess, useNotifyError } from '../../../lib/errors.js';
import { useLanguage, useT } from '../../../lib/i18n.js';
import { useCan } from '../../../lib/session.js';
import { extendSim, getTopUpPackage, type SimDetail, simsQueryKey, topUpSim } from '../api.js';
import { formatBytes } from '../lib/units.js';

/** How long before its end a lifetime may be extended (the server enforces the same). */
const extendableDays = 92;

/** Top-up and Extend lifetime buttons with their confirmations; shown to roles with billing rights. */
export function SimChargeActions({ sim }: { sim: SimDetail }) {
  const t = useT();
  const { locale } = useLanguage();
  const notifyError = useNotifyError();
  const queryClient = useQueryClient();
  const canBill = useCan('sims:billing');
  const [confirm, setConfirm] = useState<'top-up' | 'extend' | null>(null);
  // what a top-up adds, from the server's configuration (shared with the bulk confirmation)
  const topUp = useQuery({
    queryKey: [...simsQueryKey, 'top-up-package'],
    queryFn: ({ signal }) => getTopUpPackage(signal),
    enabled: confirm === 'top-up',
    staleTime: 5 * 60_000,
  });
  const mutation = useMutation({
    mutationFn: (kind: 'top-up' | 'extend') =>
      kind === 'top-up' ? topUpSim(sim.iccid) : extendSim(sim.iccid),
    onSuccess: (updated, kind) => {
      queryClient.setQueryData([...simsQueryKey, 'detail', sim.iccid], updated);
      void queryClient.invalidateQueries({ queryKey: [...simsQueryKey, 'list'] });
      void queryClient.invalidateQueries({ queryKey: [...simsQueryKey, 'events', sim.iccid] });
      void queryClient.invalidateQueries({ queryKey: [...simsQueryKey, 'usage', sim.iccid] });
      notifySuccess(
        kind === 'top-up'
          ? t('sims.topUp.done', {
              data: formatBytes(updated.dataTotal - updated.dataUsed, locale),
              sms: new Intl.NumberFormat(locale).format(updated.smsTotal - updated.smsUsed),
            })
          : t('sims.extend.done', {
              date: new Intl.DateTimeFormat(locale, { dateStyle: 'medium' }).format(
                new Date(updated.lifetime.endOfLife ?? ''),
              ),
            }),
      );
      setConfirm(null);
    },
    onError: notifyError,
  });
  if (!canBill) return null;
  const expired = sim.status === 'expired';
  const daysLeft = sim.lifetime.daysLeft;
  const extendable = expired || (daysLeft !== null && daysLeft <= extendableDays);

  return (
    <>
      <Group gap="sm" wrap="wrap">
        {!expired && (
          <Button
            variant="light"
            leftSection={<IconCirclePlus size={16} aria-hidden />}
            onClick={() => setConfirm('top-up')}
            data-testid="sim-top-up"
          >
            {t('sims.topUp')}
          </Button>
        )}
        {extendable && (
          <Button
            variant="light"
            color={expired ? 'red' : 'blue'}
            leftSection={<IconCalendarPlus size={16} aria-hidden />}
            onClick={() => setConfirm('extend')}
            data-testid="sim-extend"
          >
            {t('sims.extend')}
          </Button>
        )}
      </Group>
      <Modal
        opened={confirm !== null}
        onClose={() => setConfirm(null)}
        title={confirm === 'extend' ? t('sims.extend.title') : t('sims.topUp.title')}
      >
        <Stack gap="md">
          <Text size="sm">
            {confirm === 'extend'
              ? t(expired ? 'sims.extend.confirmExpired' : 'sims.extend.confirm', { iccid: sim.iccid })
              : t('sims.topUp.confirm', {
                  iccid: sim.iccid,
                  data: topUp.data ? formatBytes(topUp.data.dataBytes, locale) : '…',
                  sms: topUp.data ? new Intl.NumberFormat(locale).format(topUp.data.sms) : '…',
                })}
          </Text>
          <Text size="xs" c="dimmed">
            {t('sims.charge.invoiced')}
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirm(null)} data-autofocus>
              {t('common.cancel')}
            </Button>
            <Button
              loading={mutation.isPending}
              onClick={() => confirm && mutation.mutate(confirm)}
              data-testid="sim-charge-confirm"
            >
              {confirm === 'extend' ? t('sims.extend') : t('sims.topUp')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
