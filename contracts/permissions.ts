/**
 * The permission matrix of PRODUCT.md §9, the one place that says who may do what.
 * The server enforces it on every route; the portal reads the same list from /me to decide what to show.
 */

/** Roles a person can hold in a customer organisation, plus the provider's operator role. */
export const customerRoles = ['owner', 'admin', 'user', 'readonly', 'thirdparty'] as const;
export const roles = [...customerRoles, 'operator'] as const;
export type CustomerRole = (typeof customerRoles)[number];
export type Role = (typeof roles)[number];
/** The role of every API client (PRODUCT.md §9 "API user"): no portal login, never a person's role. */
export const apiRole = 'api' as const;
/** Any role a caller can act with: a person's role or the API clients' role. */
export type PrincipalRole = Role | typeof apiRole;

/** Every permission the platform checks. Names read "area:verb". */
export const permissions = [
  'sims:read',
  'sims:write',
  'sims:operate',
  'sims:billing',
  'orders:read',
  'config:read',
  'config:streams',
  'account:manage',
  'self:manage',
  'users:admin-admins',
  'users:admin',
  'orgs:manage',
  'support:read',
  'support:write',
  'audit:read',
  'operator:console',
] as const;
export type Permission = (typeof permissions)[number];

/** What each permission means, for the API docs and the Users page. */
export const permissionLabels: Record<Permission, string> = {
  'sims:read': 'See dashboard, SIMs, events and usage',
  'sims:write': 'Change SIM state, label and IMEI lock',
  'sims:operate': 'Reset connection, send SMS, export the SIM list',
  'sims:billing': 'Top-up, auto top-up, reorder, extension',
  'orders:read': 'See orders, invoices and affected SIMs',
  'config:read': 'Configuration: network view, limits, SMS forwarding, API access',
  'config:streams': 'Configuration: data streams',
  'account:manage': 'Account: customer data, e-mails, addresses',
  'self:manage': 'Own user data',
  'users:admin-admins': 'Administer Admins',
  'users:admin': 'Administer Users, Read only, 3rd party and API users',
  'orgs:manage': 'Sub-organisations and SIM transfer',
  'support:read': 'See support requests',
  'support:write': 'Open and answer support requests',
  'audit:read': "See and export the organisation's audit log",
  'operator:console': 'Provider operator console',
};

const matrix: Record<PrincipalRole, readonly Permission[]> = {
  owner: [
    'sims:read',
    'sims:write',
    'sims:operate',
    'sims:billing',
    'orders:read',
    'config:read',
    'config:streams',
    'account:manage',
    'self:manage',
    'users:admin-admins',
    'users:admin',
    'orgs:manage',
    'support:read',
    'support:write',
    'audit:read',
  ],
  admin: [
    'sims:read',
    'sims:write',
    'sims:operate',
    'sims:billing',
    'orders:read',
    'config:read',
    'config:streams',
    'account:manage',
    'self:manage',
    'users:admin',
    'orgs:manage',
    'support:read',
    'support:write',
    'audit:read',
  ],
  user: [
    'sims:read',
    'sims:write',
    'sims:operate',
    'orders:read',
    'config:read',
    'self:manage',
    'support:read',
    'support:write',
  ],
  readonly: ['sims:read', 'orders:read', 'self:manage', 'support:read'],
  thirdparty: ['sims:read', 'sims:operate', 'config:read', 'config:streams', 'self:manage'],
  operator: ['self:manage', 'operator:console'],
  api: [
    'sims:read',
    'sims:write',
    'sims:operate',
    'sims:billing',
    'orders:read',
    'support:read',
    'support:write',
  ],
};

/** The permissions a role holds, in the order of `permissions`. */
export function permissionsOf(role: PrincipalRole): Permission[] {
  const held = new Set(matrix[role]);
  return permissions.filter((p) => held.has(p));
}

/** Whether a role holds a permission. */
export function can(role: PrincipalRole, permission: Permission): boolean {
  return matrix[role].includes(permission);
}

/**
 * The role an API client created by `creator` is held to: none (null) when the creator may do all an
 * API user may (Owner, Admin), else the creator's own role — an API client never does more than the
 * person who made it could (a 3rd party's client cannot top up SIMs, nor a User's).
 */
export function apiClientActsAs(creator: CustomerRole): CustomerRole | null {
  return matrix[apiRole].every((p) => can(creator, p)) ? null : creator;
}

/** What an API client may do: the API user's rights, within those of the role it acts as. */
export function apiClientPermissions(actsAs: CustomerRole | null, readOnly: boolean): Permission[] {
  return permissionsOf(apiRole).filter(
    (p) => (!actsAs || can(actsAs, p)) && (!readOnly || p.endsWith(':read')),
  );
}

/** Roles that a holder of `role` may create, edit or remove (PRODUCT.md §9: nobody administers an Owner). */
export function administrableRoles(role: PrincipalRole): CustomerRole[] {
  if (can(role, 'users:admin-admins')) return ['admin', 'user', 'readonly', 'thirdparty'];
  if (can(role, 'users:admin')) return ['user', 'readonly', 'thirdparty'];
  return [];
}

/** The portal's tabs and the permission that shows each. */
export const tabs = [
  { id: 'dashboard', path: '/dashboard', permission: 'sims:read' },
  { id: 'sims', path: '/sims', permission: 'sims:read' },
  { id: 'configuration', path: '/configuration', permission: 'config:read' },
  { id: 'account', path: '/account', permission: 'self:manage' },
  { id: 'orders', path: '/orders', permission: 'orders:read' },
  { id: 'users', path: '/users', permission: 'users:admin' },
  { id: 'organisation', path: '/organisation', permission: 'orgs:manage' },
  { id: 'support', path: '/support', permission: 'support:read' },
  { id: 'operator', path: '/operator', permission: 'operator:console' },
] as const satisfies readonly { id: string; path: string; permission: Permission }[];
export type TabId = (typeof tabs)[number]['id'];
