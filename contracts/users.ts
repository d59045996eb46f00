/** Contracts of the Users tab: the organisation's people, their roles and their state. */
import { z } from 'zod';
import { email, paged, pageQuery, personName, searchText } from './common.js';
import { customerRoles, roles } from './permissions.js';

/** Where a person's account stands: invited (no password yet), active, or deactivated (no sign-in). */
export const userStatus = z.enum(['invited', 'active', 'deactivated']);
export type UserStatus = z.infer<typeof userStatus>;

/** A role a customer may hold; the operator role is never assignable through this API. */
export const customerRole = z.enum(customerRoles, {
  message: `must be one of ${customerRoles.join(', ')}`,
});

export const userSummary = z.object({
  id: z.uuid(),
  firstName: z.string(),
  lastName: z.string(),
  email: z.string(),
  role: z.enum(roles),
  status: userStatus,
  lastLoginAt: z.string().nullable(),
  createdAt: z.string(),
});
export type UserSummary = z.infer<typeof userSummary>;

export const userList = paged(userSummary);
export type UserList = z.infer<typeof userList>;

/** Paging plus a free-text search over name and e-mail. */
export const userListQuery = pageQuery.extend({
  q: searchText(100).optional(),
});

/** A new person: first name, last name, e-mail (the login) and role; they receive an invitation. */
export const createUserRequest = z.strictObject({
  firstName: personName,
  lastName: personName,
  email,
  role: customerRole,
});
export type CreateUserRequest = z.infer<typeof createUserRequest>;

/** Change name or role; the e-mail is the person's own to change (under Account). */
export const updateUserRequest = z
  .strictObject({ firstName: personName, lastName: personName, role: customerRole })
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'must change at least one field');
export type UpdateUserRequest = z.infer<typeof updateUserRequest>;
