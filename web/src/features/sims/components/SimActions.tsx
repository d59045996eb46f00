/** What a user may do with one SIM: activate/deactivate, IMEI lock (on, off, bind to an IMEI), auto top-up. */
import { Alert, Button, Group, Modal, Paper, Stack, Switch, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconLock, IconPlayerPlay, IconPlayerStop } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { isApiError } from '../../../lib/api.js';
import { fieldMessage, notifySuccess, useNotifyError } from '../../../lib/errors.js';
import { useT } from '../../../lib/i18n.js';
import { useCan } from '../../../lib/session.js';
import { type SimDetail, simsQueryKey, type UpdateSimRequest, updateSim } from '../api.js';
import { BindImeiModal } from './BindImeiModal.js';
import { SimChargeActions } from './SimChargeActions.js';

/** Saves a change to the SIM and puts the answer into the cache. */
export function useUpdateSim(iccid: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (change: UpdateSimRequest) => updateSim(iccid, change),
    onSuccess: (sim) => {
      queryClient.setQueryData([...simsQueryKey, 'detail', iccid], sim);
      void queryClient.invalidateQueries({ queryKey: [...simsQueryKey, 'list'] });
      void queryClient.invalidateQueries({ queryKey: [...simsQueryKey, 'events', iccid] });
    },
  });
}

/** The action bar below the three columns; shows only what the role may do. */
export function SimActions({ sim }: { sim: SimDetail }) {
  const t = useT();
  const notifyError = useNotifyError();
  const canWrite = useCan('sims:write');
  const canBill = useCan('sims:billing');
  const update = useUpdateSim(sim.iccid);
  const [confirm, setConfirm] = useState<'activated' | 'deactivated' | null>(null);
  const [binding, setBinding] = useState(false);
  const [bindError, setBindError] = useState<string | null>(null);

  if (!canWrite && !canBill) return null;

  const onError = (err: unknown) => {
    if (isApiError(err, 'conflict'))
      notifications.show({ color: 'red', title: t('common.error'), message: t('sims.expiredConflict') });
    else notifyError(err);
  };
  const run = (change: UpdateSimRequest, done: string, after?: () => void) =>
    update.mutate(change, {
      onSuccess: () => {
        notifySuccess(done);
        after?.();
      },
      onError,
    });
  const expired = sim.status === 'expired';

  return (
    <Paper withBorder radius="md" p="md" data-testid="sim-actions">
      <Stack gap="sm">
        {expired && canWrite && (
          <Alert color="red" variant="light">
            {t('sims.expiredHint')}
          </Alert>
        )}
        <Group gap="lg" wrap="wrap" align="center">
          {canWrite &&
            !expired &&
            (sim.status === 'activated' ? (
              <Button
                color="red"
                variant="light"
                leftSection={<IconPlayerStop size={16} aria-hidden />}
                onClick={() => setConfirm('deactivated')}
                data-testid="sim-deactivate"
              >
                {t('sims.deactivate')}
              </Button>
            ) : (
              <Button
                color="green"
                variant="light"
                leftSection={<IconPlayerPlay size={16} aria-hidden />}
                onClick={() => setConfirm('activated')}
                data-testid="sim-activate"
              >
                {t('sims.activate')}
              </Button>
            ))}
          {canWrite && (
            <Group gap="sm" wrap="nowrap" align="center">
              <Switch
                label={t('sims.col.imeiLock')}
                checked={sim.imeiLock}
                disabled={update.isPending}
                onChange={(e) =>
                  run(
                    { imeiLock: e.currentTarget.checked },
                    e.currentTarget.checked ? t('sims.imeiLock.onDone') : t('sims.imeiLock.offDone'),
                  )
                }
                data-testid="sim-imei-lock"
              />
              <Button
                variant="subtle"
                size="compact-sm"
                leftSection={<IconLock size={14} aria-hidden />}
                onClick={() => {
                  setBindError(null);
                  setBinding(true);
                }}
                data-testid="sim-bind-imei"
              >
                {t('sims.bindImei')}
              </Button>
            </Group>
          )}
          {canBill && (
            <Switch
              label={t('sims.col.autoTopUp')}
              checked={sim.autoTopUp}
              disabled={update.isPending}
              onChange={(e) =>
                run(
                  { autoTopUp: e.currentTarget.checked },
                  e.currentTarget.checked ? t('sims.autoTopUp.onDone') : t('sims.autoTopUp.offDone'),
                )
              }
              data-testid="sim-auto-top-up"
            />
          )}
          <SimChargeActions sim={sim} />
        </Group>
        {canWrite && sim.imeiLock && (
          <Text size="xs" c="dimmed" data-testid="sim-locked-imei">
            {sim.lockedImei
              ? t('sims.imeiLock.boundTo', { imei: sim.lockedImei })
              : t('sims.imeiLock.nextAttach')}
          </Text>
        )}
      </Stack>
      <Modal
        opened={confirm !== null}
        onClose={() => setConfirm(null)}
        title={confirm === 'deactivated' ? t('sims.deactivate.title') : t('sims.activate.title')}
      >
        <Stack gap="md">
          <Text size="sm">
            {confirm === 'deactivated'
              ? t('sims.deactivate.confirm', { iccid: sim.iccid })
              : t('sims.activate.confirm', { iccid: sim.iccid })}
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirm(null)} data-autofocus>
              {t('common.cancel')}
            </Button>
            <Button
              color={confirm === 'deactivated' ? 'red' : 'green'}
              loading={update.isPending}
              onClick={() =>
                confirm &&
                run(
                  { status: confirm },
                  confirm === 'deactivated' ? t('sims.deactivated') : t('sims.activated'),
                  () => setConfirm(null),
                )
              }
              data-testid="sim-status-confirm"
            >
              {confirm === 'deactivated' ? t('sims.deactivate') : t('sims.activate')}
            </Button>
          </Group>
        </Stack>
      </Modal>
      {binding && (
        <BindImeiModal
          opened
          initial={sim.lockedImei ?? sim.imei ?? ''}
          saving={update.isPending}
          serverError={bindError}
          onClose={() => setBinding(false)}
          onBind={(imei) =>
            update.mutate(
              { imeiLock: true, imei },
              {
                onSuccess: () => {
                  notifySuccess(t('sims.imeiLock.boundDone', { imei }));
                  setBinding(false);
                },
                onError: (err) => {
                  const field = isApiError(err) ? err.fieldErrors.find((f) => f.field === 'imei') : undefined;
                  if (field) setBindError(fieldMessage(t, field));
                  else onError(err);
                },
              },
            )
          }
        />
      )}
    </Paper>
  );
}
