/** Reset connection: asks, then sends a Disconnect-Request; the SIM shows "reset pending" until its session ends. */
import { Badge, Button, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconPlugConnectedX } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ConfirmModal } from '../../../components/ConfirmModal.js';
import { isApiError } from '../../../lib/api.js';
import { notifySuccess, useNotifyError } from '../../../lib/errors.js';
import { useT } from '../../../lib/i18n.js';
import { useCan } from '../../../lib/session.js';
import { resetConnection, type SimDetail, simsQueryKey } from '../api.js';

/** The "reset pending" badge, shown while a Disconnect-Request waits for the session's Stop. */
export function ResetPendingBadge({ sim }: { sim: SimDetail }) {
  const t = useT();
  if (!sim.resetPending) return null;
  return (
    <Badge color="orange" variant="light" tt="none" data-testid="sim-reset-pending">
      {t('sims.reset.pending')}
    </Badge>
  );
}

/** The button and its confirmation; only for roles with sims:operate. */
export function ResetConnectionButton({ sim }: { sim: SimDetail }) {
  const t = useT();
  const notifyError = useNotifyError();
  const canOperate = useCan('sims:operate');
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const reset = useMutation({
    mutationFn: () => resetConnection(sim.iccid),
    onSuccess: () => {
      notifySuccess(t('sims.reset.done'));
      setConfirming(false);
      queryClient.setQueryData<SimDetail>([...simsQueryKey, 'detail', sim.iccid], (old) =>
        old ? { ...old, resetPending: true } : old,
      );
      void queryClient.invalidateQueries({ queryKey: [...simsQueryKey, 'events', sim.iccid] });
    },
    onError: (err) => {
      setConfirming(false);
      if (isApiError(err, 'conflict'))
        notifications.show({
          color: 'yellow',
          title: t('sims.reset.title'),
          message: t('sims.reset.noSession'),
        });
      else notifyError(err);
    },
  });
  if (!canOperate || sim.status !== 'activated') return null;
  // only an open data session can be reset: offline, attached or blocked, there is nothing to end
  const noSession = sim.session !== 'online';
  return (
    <>
      <Tooltip label={t('sims.reset.noSessionHint')} disabled={!noSession} withArrow>
        <Button
          size="xs"
          variant="light"
          color="orange"
          leftSection={<IconPlugConnectedX size={14} aria-hidden />}
          disabled={sim.resetPending}
          // data-disabled, not disabled: a disabled button gets no hover, and the tooltip says why
          data-disabled={noSession || undefined}
          aria-disabled={noSession || undefined}
          onClick={(e) => (noSession ? e.preventDefault() : setConfirming(true))}
          data-testid="sim-reset"
        >
          {t('sims.reset')}
        </Button>
      </Tooltip>
      <ConfirmModal
        opened={confirming}
        title={t('sims.reset.title')}
        message={t('sims.reset.confirm', { iccid: sim.iccid })}
        confirmLabel={t('sims.reset')}
        loading={reset.isPending}
        onConfirm={() => reset.mutate()}
        onClose={() => setConfirming(false)}
      />
    </>
  );
}
