/** The selection bar of the list: what is selected, "select all that match", and the bulk action menu. */
import { Button, Group, Menu, Modal, Stack, Text } from '@mantine/core';
import { IconChevronDown } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { errorMessage } from '../../../lib/errors.js';
import { useLanguage, useT } from '../../../lib/i18n.js';
import { useCan } from '../../../lib/session.js';
import { type BulkAction, getTopUpPackage, simsQueryKey } from '../api.js';
import { formatBytes } from '../lib/units.js';

const writeActions: BulkAction[] = ['activate', 'deactivate', 'imeiLockOn', 'imeiLockOff'];
const billingActions: BulkAction[] = ['topUp', 'autoTopUpOn', 'autoTopUpOff'];

/** The bulk actions the signed-in user may run. */
export function useBulkActions(): BulkAction[] {
  const canWrite = useCan('sims:write');
  const canBill = useCan('sims:billing');
  return [...(canWrite ? writeActions : []), ...(canBill ? billingActions : [])];
}

/** Selection summary and bulk menu; asks before it starts a job. */
export function BulkBar({
  actions,
  count,
  total,
  totalExact,
  allMatching,
  pageFullySelected,
  starting,
  onSelectAllMatching,
  onClear,
  onRun,
}: {
  actions: BulkAction[];
  /** How many SIMs the action would touch. */
  count: number;
  /** How many SIMs match the filter. */
  total: number;
  /** false: more than `total` match (a search counted only so far). */
  totalExact: boolean;
  allMatching: boolean;
  pageFullySelected: boolean;
  starting: boolean;
  onSelectAllMatching: () => void;
  onClear: () => void;
  onRun: (action: BulkAction) => Promise<unknown>;
}) {
  const t = useT();
  const { locale } = useLanguage();
  const [pending, setPending] = useState<BulkAction | null>(null);
  const n = (value: number) => new Intl.NumberFormat(locale).format(value);
  // the selection's size as shown: "1,000+" while a search's total is counted only so far
  const many = (value: number) => (allMatching && !totalExact ? `${n(value)}+` : n(value));
  const matching = totalExact ? n(total) : `${n(total)}+`;
  // what a top-up adds, from the server's configuration; asked for when the confirmation needs it
  const topUp = useQuery({
    queryKey: [...simsQueryKey, 'top-up-package'],
    queryFn: ({ signal }) => getTopUpPackage(signal),
    enabled: pending === 'topUp',
    staleTime: 5 * 60_000,
  });
  const topUpUnknown = pending === 'topUp' && !topUp.data;
  return (
    <Group gap="sm" wrap="wrap" data-testid="bulk-bar" mih={36}>
      <Text size="sm" fw={count ? 600 : 400} c={count ? undefined : 'dimmed'}>
        {allMatching
          ? t('sims.allMatchingSelected', { count: matching })
          : count
            ? t('sims.selected', { count: n(count) })
            : t('sims.noneSelected')}
      </Text>
      {!allMatching && total > 0 && (pageFullySelected || count === 0) && (
        <Button
          variant="subtle"
          size="compact-sm"
          onClick={onSelectAllMatching}
          data-testid="select-all-matching"
        >
          {t('sims.selectAllMatching', { count: matching })}
        </Button>
      )}
      {count > 0 && (
        <Button
          variant="subtle"
          color="gray"
          size="compact-sm"
          onClick={onClear}
          data-testid="clear-selection"
        >
          {t('sims.clearSelection')}
        </Button>
      )}
      <Menu position="bottom-start" withinPortal>
        <Menu.Target>
          <Button
            size="compact-sm"
            variant="light"
            rightSection={<IconChevronDown size={14} aria-hidden />}
            disabled={count === 0}
            data-testid="bulk-menu"
          >
            {t('sims.bulk.menu')}
          </Button>
        </Menu.Target>
        <Menu.Dropdown>
          {actions.map((action) => (
            <Menu.Item key={action} onClick={() => setPending(action)} data-testid={`bulk-${action}`}>
              {t(`sims.bulk.${action}`)}
            </Menu.Item>
          ))}
        </Menu.Dropdown>
      </Menu>
      <Modal
        opened={pending !== null}
        onClose={() => setPending(null)}
        title={pending ? t(`sims.bulk.${pending}`) : ''}
        data-testid="bulk-confirm"
      >
        <Stack gap="md">
          {pending === 'topUp' ? (
            <Text size="sm" data-testid="bulk-top-up-package">
              {topUp.data
                ? t('sims.bulk.topUpConfirm', {
                    data: formatBytes(topUp.data.dataBytes, locale),
                    sms: n(topUp.data.sms),
                    count: many(count),
                  })
                : topUp.isError
                  ? errorMessage(t, topUp.error)
                  : t('common.loading')}
            </Text>
          ) : (
            <Text size="sm">{t('sims.bulk.confirm', { count: many(count) })}</Text>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setPending(null)} data-autofocus>
              {t('common.cancel')}
            </Button>
            <Button
              loading={starting || (pending === 'topUp' && topUp.isLoading)}
              disabled={topUpUnknown}
              color={pending === 'deactivate' ? 'red' : undefined}
              onClick={() => {
                if (!pending) return;
                void onRun(pending).then(
                  () => setPending(null),
                  () => undefined,
                );
              }}
              data-testid="bulk-confirm-run"
            >
              {pending ? t(`sims.bulk.${pending}`) : ''}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Group>
  );
}
