/** Which tabs a user sees and where they start. */
import { type Permission, tabs } from '@contracts/permissions.js';

/** The tabs whose permission the user holds, in navbar order. */
export function visibleTabs(permissions: readonly Permission[]) {
  return tabs.filter((tab) => permissions.includes(tab.permission));
}

/** The start page: the operator console for operators, else the first visible tab. */
export function homePath(permissions: readonly Permission[]): string {
  if (permissions.includes('operator:console')) return '/operator';
  return visibleTabs(permissions)[0]?.path ?? '/account';
}
