/** The signed-in identity (GET /api/v1/me), shared by the shell and every feature. */
import type { Me } from '@contracts/auth.js';
import type { Permission } from '@contracts/permissions.js';
import { useQuery } from '@tanstack/react-query';
import { createContext, type ReactNode, useContext } from 'react';
import { apiGet, rememberCsrfToken } from './api.js';

export type { Me };

/** Query key of /me; invalidate it after changing the profile. */
export const meQueryKey = ['me'] as const;

/** Loads /me through TanStack Query. */
export function useMeQuery() {
  return useQuery({
    queryKey: meQueryKey,
    queryFn: async ({ signal }) => {
      const me = await apiGet<Me>('/api/v1/me', { signal });
      rememberCsrfToken(me.csrfToken);
      return me;
    },
    staleTime: 60_000,
  });
}

const MeContext = createContext<Me | null>(null);

/** Makes the loaded identity available below the shell. */
export function MeProvider({ me, children }: { me: Me; children: ReactNode }) {
  return <MeContext.Provider value={me}>{children}</MeContext.Provider>;
}

/** The signed-in identity; only valid below the shell, which loads it first. */
export function useMe(): Me {
  const me = useContext(MeContext);
  if (!me) throw new Error('useMe must be used inside <MeProvider>');
  return me;
}

/** Whether the signed-in user holds a permission. */
export function useCan(permission: Permission): boolean {
  return useMe().permissions.includes(permission);
}
