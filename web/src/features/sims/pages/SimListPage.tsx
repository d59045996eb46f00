/** /sims: search, filters, sortable columns, paging, column chooser, selection with bulk jobs, exports. */
import { Alert, Button, Group, Pagination, Paper, Select, Stack, Text, Title } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { IconSearchOff } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { PageHeader } from '../../../components/PageHeader.js';
import { PageLoader } from '../../../components/PageLoader.js';
import { errorMessage, useNotifyError } from '../../../lib/errors.js';
import { useLanguage, useT } from '../../../lib/i18n.js';
import { useCan } from '../../../lib/session.js';
import {
  allSimColumns,
  type BulkAction,
  countSims,
  defaultSimColumns,
  getPreferences,
  listSims,
  preferencesQueryKey,
  type SimColumn,
  type SimFilter,
  savePreferences,
  simsQueryKey,
  startBulk,
} from '../api.js';
import { BulkBar, useBulkActions } from '../components/BulkBar.js';
import { ColumnChooser } from '../components/ColumnChooser.js';
import { ExportButtons } from '../components/ExportButtons.js';
import { JobProgress } from '../components/JobProgress.js';
import { hasFilter, SimFilters } from '../components/SimFilters.js';
import { SimTable, type TableSelection } from '../components/SimTable.js';
import { pageSizes, useSimListState } from '../lib/listState.js';

const jobStorageKey = 'opencmp.sims.job';

function sameFilter(a: SimFilter, b: SimFilter): boolean {
  return (
    a.q === b.q &&
    a.status.join() === b.status.join() &&
    a.session.join() === b.session.join() &&
    a.dataVolume.join() === b.dataVolume.join() &&
    a.smsVolume.join() === b.smsVolume.join()
  );
}

/** The job being followed, kept for this browser tab so a reload still shows its progress. */
function useFollowedJob(): [
  { id: string; action: BulkAction } | null,
  (job: { id: string; action: BulkAction } | null) => void,
] {
  const [job, setJob] = useState<{ id: string; action: BulkAction } | null>(() => {
    try {
      const raw = sessionStorage.getItem(jobStorageKey);
      return raw ? (JSON.parse(raw) as { id: string; action: BulkAction }) : null;
    } catch {
      return null;
    }
  });
  const set = useCallback((next: { id: string; action: BulkAction } | null) => {
    setJob(next);
    try {
      if (next) sessionStorage.setItem(jobStorageKey, JSON.stringify(next));
      else sessionStorage.removeItem(jobStorageKey);
    } catch {
      // Not remembering across reloads is acceptable.
    }
  }, []);
  return [job, set];
}

/** The list of the organisation's SIMs. */
export function SimListPage() {
  const t = useT();
  const { locale } = useLanguage();
  const queryClient = useQueryClient();
  const notifyError = useNotifyError();
  const canExport = useCan('sims:operate');
  const bulkActions = useBulkActions();
  const [state, update] = useSimListState();
  const filter: SimFilter = {
    q: state.q,
    status: state.status,
    session: state.session,
    dataVolume: state.dataVolume,
    smsVolume: state.smsVolume,
  };
  const filterKey = JSON.stringify(filter);

  const sims = useQuery({
    queryKey: [...simsQueryKey, 'list', state],
    queryFn: ({ signal }) => listSims(state, signal),
    // Paging and sorting keep the old rows (dimmed) while loading; a new filter never shows rows it did not match.
    placeholderData: (previous, previousQuery) => {
      const before = previousQuery?.queryKey[2] as typeof state | undefined;
      return before && sameFilter(before, state) ? previous : undefined;
    },
  });

  // Columns: the saved choice; a change shows at once and is saved in the background.
  const prefs = useQuery({
    queryKey: preferencesQueryKey,
    queryFn: ({ signal }) => getPreferences(signal),
    staleTime: Number.POSITIVE_INFINITY,
  });
  const [chosenColumns, setChosenColumns] = useState<SimColumn[] | null>(null);
  const savedColumns = prefs.data?.simColumns;
  const picked: readonly SimColumn[] =
    chosenColumns ?? (savedColumns && savedColumns.length > 0 ? savedColumns : defaultSimColumns);
  // the ICCID is always there: it names the row and links to the SIM (a choice saved without it, too)
  const columns: readonly SimColumn[] = picked.includes('iccid')
    ? picked
    : allSimColumns.filter((c) => c === 'iccid' || picked.includes(c));
  const saveColumns = useMutation({
    mutationFn: (simColumns: SimColumn[]) => savePreferences({ simColumns }),
    onSuccess: (saved) => queryClient.setQueryData(preferencesQueryKey, saved),
    onError: (err) => {
      notifyError(err);
      setChosenColumns(null);
    },
  });
  // On phones the ICCID leads, so each row is identifiable without scrolling sideways.
  const isPhone = useMediaQuery('(max-width: 48em)') ?? false;
  const shownColumns: readonly SimColumn[] =
    isPhone && columns.includes('iccid') ? ['iccid', ...columns.filter((c) => c !== 'iccid')] : columns;
  const chooseColumns = (next: SimColumn[]) => {
    setChosenColumns(next);
    saveColumns.mutate(next);
  };

  // Selection: chosen rows, or everything the filter matches; a new filter starts over.
  const [selected, setSelected] = useState<Set<string>>(() => new Set());
  const [allMatching, setAllMatching] = useState(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset whenever the filter changes
  useEffect(() => {
    setSelected(new Set());
    setAllMatching(false);
  }, [filterKey]);

  // A search's page counts its matches only so far ("more than 1,000"): the exact number follows from
  // the count endpoint, which the page does not wait for. It is shared by every page of the filter.
  const counted = useQuery({
    queryKey: [...simsQueryKey, 'count', filter],
    queryFn: ({ signal }) => countSims(filter, signal),
    enabled: sims.data?.totalExact === false && !sims.isPlaceholderData,
    // counting every match of a broad search is the expensive part: not again on every return to the list
    staleTime: 30_000,
  });
  // a count below what the page itself found is from before a change: the page's word stands until it is asked again
  const exactTotal =
    sims.data?.totalExact === false && counted.data && counted.data.total >= sims.data.total
      ? counted.data.total
      : undefined;
  const totalExact = sims.data?.totalExact !== false || exactTotal !== undefined;
  const items = sims.data?.items ?? [];
  const total = exactTotal ?? sims.data?.total ?? 0;
  const selection: TableSelection | null = useMemo(
    () =>
      bulkActions.length === 0
        ? null
        : {
            isSelected: (iccid) => allMatching || selected.has(iccid),
            toggle: (iccid) => {
              if (allMatching) {
                // Leaving "all that match": keep the rows of this page except the one unchecked.
                setAllMatching(false);
                setSelected(new Set(items.map((s) => s.iccid).filter((i) => i !== iccid)));
                return;
              }
              setSelected((current) => {
                const next = new Set(current);
                if (next.has(iccid)) next.delete(iccid);
                else next.add(iccid);
                return next;
              });
            },
            togglePage: (check) => {
              setAllMatching(false);
              setSelected((current) => {
                const next = new Set(allMatching ? [] : current);
                for (const sim of items) {
                  if (check) next.add(sim.iccid);
                  else next.delete(sim.iccid);
                }
                return next;
              });
            },
          },
    [bulkActions.length, allMatching, selected, items],
  );
  const selectedCount = allMatching ? total : selected.size;
  const pageFullySelected = items.length > 0 && items.every((s) => selected.has(s.iccid));

  const [job, setJob] = useFollowedJob();
  const start = useMutation({
    mutationFn: (action: BulkAction) =>
      startBulk(action, allMatching ? { filter } : { iccids: [...selected] }),
    onSuccess: (started, action) => {
      setJob({ id: started.id, action });
      setSelected(new Set());
      setAllMatching(false);
    },
    onError: notifyError,
  });
  const onJobFinished = useCallback(() => {
    void queryClient.invalidateQueries({ queryKey: simsQueryKey });
  }, [queryClient]);

  const n = (value: number) => new Intl.NumberFormat(locale).format(value);
  // more than `total` match when it is not exact: the page after the last full one exists
  const pages = Math.max(
    1,
    totalExact ? Math.ceil(total / state.pageSize) : Math.floor(total / state.pageSize) + 1,
  );
  const first = total === 0 ? 0 : (state.page - 1) * state.pageSize + 1;
  const last = Math.min(total, state.page * state.pageSize);

  // A page beyond the end (e.g. after a narrower filter in a shared link): go to the last one.
  useEffect(() => {
    if (sims.data && !sims.isPlaceholderData && state.page > pages) update({ page: pages }, true);
  }, [sims.data, sims.isPlaceholderData, state.page, pages, update]);

  return (
    <div data-testid="page-sims">
      <PageHeader
        title={t('tabs.sims')}
        actions={
          <Group gap="sm">
            <ColumnChooser columns={columns} onChange={chooseColumns} />
            {canExport && <ExportButtons filter={filter} />}
          </Group>
        }
      />
      <Stack gap="md">
        <SimFilters filter={filter} onChange={(change) => update(change)} />
        {job && (
          <JobProgress
            key={job.id}
            jobId={job.id}
            action={job.action}
            onFinished={onJobFinished}
            onClose={() => setJob(null)}
          />
        )}
        {selection && (total > 0 || selectedCount > 0) && (
          <BulkBar
            actions={bulkActions}
            count={selectedCount}
            total={total}
            totalExact={totalExact}
            allMatching={allMatching}
            pageFullySelected={pageFullySelected}
            starting={start.isPending}
            onSelectAllMatching={() => {
              setAllMatching(true);
              setSelected(new Set());
            }}
            onClear={() => {
              setAllMatching(false);
              setSelected(new Set());
            }}
            onRun={(action) => start.mutateAsync(action)}
          />
        )}
        {sims.isPending ? (
          <PageLoader />
        ) : sims.isError && !sims.data ? (
          <Alert color="red" role="alert">
            <Group justify="space-between">
              <Text size="sm">{errorMessage(t, sims.error)}</Text>
              <Button size="xs" variant="light" onClick={() => void sims.refetch()}>
                {t('common.retry')}
              </Button>
            </Group>
          </Alert>
        ) : total === 0 ? (
          <Paper withBorder radius="md" p="xl" data-testid="sims-empty">
            <Stack align="center" gap="xs">
              <IconSearchOff size={32} stroke={1.5} aria-hidden />
              <Title order={2} fz="h4" ta="center">
                {hasFilter(filter) ? t('sims.empty.filtered') : t('sims.empty.none')}
              </Title>
              <Text size="sm" c="dimmed" ta="center">
                {hasFilter(filter) ? t('sims.empty.filteredHint') : t('sims.empty.noneHint')}
              </Text>
              {hasFilter(filter) && (
                <Button
                  variant="light"
                  onClick={() => update({ q: '', status: [], session: [], dataVolume: [], smsVolume: [] })}
                >
                  {t('sims.clearFilters')}
                </Button>
              )}
            </Stack>
          </Paper>
        ) : (
          <>
            <SimTable
              sims={items}
              columns={shownColumns}
              sort={state.sort}
              onSort={(sort) => update({ sort })}
              selection={selection}
              dimmed={sims.isPlaceholderData}
            />
            <Group justify="space-between" wrap="wrap" gap="sm">
              <Text size="sm" c="dimmed" data-testid="sims-total">
                {total === 1
                  ? t('sims.rangeOne')
                  : t(totalExact ? 'sims.range' : 'sims.rangeMore', {
                      first: n(first),
                      last: n(last),
                      total: n(total),
                    })}
              </Text>
              <Group gap="sm" wrap="wrap">
                <Select
                  aria-label={t('sims.pageSize')}
                  data={pageSizes.map((size) => ({
                    value: String(size),
                    label: t('sims.perPage', { count: size }),
                  }))}
                  value={String(state.pageSize)}
                  onChange={(value) => value && update({ pageSize: Number(value) })}
                  allowDeselect={false}
                  w={130}
                  data-testid="page-size"
                />
                {pages > 1 && (
                  <Pagination
                    total={pages}
                    value={Math.min(state.page, pages)}
                    onChange={(page) => update({ page })}
                    siblings={0}
                    boundaries={1}
                    size="sm"
                  />
                )}
              </Group>
            </Group>
          </>
        )}
      </Stack>
    </div>
  );
}
