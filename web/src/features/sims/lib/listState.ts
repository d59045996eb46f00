/** The list's filter, sort and page as URL search parameters, so a view can be shared and the back button works. */
import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import {
  type SessionState,
  type SimListParams,
  type SimStatus,
  sessionStates,
  simStatuses,
  type VolumeGroup,
  volumeGroups,
} from '../api.js';

export const pageSizes = [25, 50, 100, 250, 500] as const;
export const defaultPageSize = 50;
export const defaultSort = 'iccid';

function pickList<T extends string>(raw: string | null, allowed: readonly T[]): T[] {
  if (!raw) return [];
  const wanted = new Set(raw.split(','));
  return allowed.filter((value) => wanted.has(value));
}

function parse(params: URLSearchParams): SimListParams {
  const page = Number(params.get('page'));
  const size = Number(params.get('pageSize'));
  const sort = params.get('sort') ?? '';
  return {
    q: params.get('q') ?? '',
    status: pickList<SimStatus>(params.get('status'), simStatuses),
    session: pickList<SessionState>(params.get('session'), sessionStates),
    dataVolume: pickList<VolumeGroup>(params.get('dataVolume'), volumeGroups),
    smsVolume: pickList<VolumeGroup>(params.get('smsVolume'), volumeGroups),
    sort: /^-?[a-zA-Z]+$/.test(sort) ? sort : defaultSort,
    page: Number.isInteger(page) && page >= 1 ? page : 1,
    pageSize: (pageSizes as readonly number[]).includes(size) ? size : defaultPageSize,
  };
}

function serialize(state: SimListParams): URLSearchParams {
  const params = new URLSearchParams();
  if (state.q) params.set('q', state.q);
  if (state.status.length) params.set('status', state.status.join(','));
  if (state.session.length) params.set('session', state.session.join(','));
  if (state.dataVolume.length) params.set('dataVolume', state.dataVolume.join(','));
  if (state.smsVolume.length) params.set('smsVolume', state.smsVolume.join(','));
  if (state.sort !== defaultSort) params.set('sort', state.sort);
  if (state.page !== 1) params.set('page', String(state.page));
  if (state.pageSize !== defaultPageSize) params.set('pageSize', String(state.pageSize));
  return params;
}

/**
 * The list state from the URL and a setter. Changing the filter or page size goes back to page 1;
 * typing in the search box replaces the history entry instead of adding one per keystroke.
 */
export function useSimListState(): [
  SimListParams,
  (change: Partial<SimListParams>, replace?: boolean) => void,
] {
  const [params, setParams] = useSearchParams();
  const state = useMemo(() => parse(params), [params]);
  const update = useCallback(
    (change: Partial<SimListParams>, replace = false) => {
      setParams(
        (current) => {
          const before = parse(current);
          const resetsPage = Object.keys(change).some((key) => key !== 'page');
          const next = { ...before, ...(resetsPage ? { page: 1 } : {}), ...change };
          return serialize(next);
        },
        { replace },
      );
    },
    [setParams],
  );
  return [state, update];
}
