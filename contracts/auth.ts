/** Contracts of sign-in, the signed-in identity and the user's own data. */
import { z } from 'zod';
import { simColumns } from './columns.js';
import { email, language, newPassword, personName } from './common.js';
import { permissions, roles } from './permissions.js';

export const loginRequest = z.object({
  email,
  password: z.string().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
  totp: z
    .string()
    .regex(/^\d{6}$/, 'must be 6 digits')
    .optional(),
});
export type LoginRequest = z.infer<typeof loginRequest>;

export const loginResponse = z.object({
  ok: z.literal(true),
  csrfToken: z.string(),
});

export const organisationSummary = z.object({
  id: z.uuid(),
  name: z.string(),
  kind: z.enum(['provider', 'customer']),
  accountNumber: z.string().nullable(),
  parentId: z.uuid().nullable(),
  language,
});

export const me = z.object({
  user: z.object({
    id: z.uuid(),
    email: z.string(),
    firstName: z.string(),
    lastName: z.string(),
    language,
    totpEnabled: z.boolean(),
  }),
  role: z.enum(roles),
  organisation: organisationSummary,
  permissions: z.array(z.enum(permissions)),
  csrfToken: z.string(),
});
export type Me = z.infer<typeof me>;

export const forgotPasswordRequest = z.object({ email });
export const resetPasswordRequest = z.object({
  token: z.string().min(20, 'is not a valid link').max(200, 'is not a valid link'),
  password: newPassword,
});
export const setupRequest = z.object({
  token: z.string().min(20, 'is not a valid link').max(200, 'is not a valid link'),
  email,
  firstName: personName,
  lastName: personName,
  password: newPassword,
});

export const updateProfileRequest = z
  .object({
    firstName: personName,
    lastName: personName,
    email,
    language,
    currentPassword: z.string().max(200).optional(),
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'must change at least one field');

export const changePasswordRequest = z.object({
  currentPassword: z.string().min(1, 'must not be empty').max(200),
  newPassword,
});

export const sessionInfo = z.object({
  id: z.uuid(),
  createdAt: z.iso.datetime(),
  lastSeenAt: z.iso.datetime(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  current: z.boolean(),
});
export const sessionList = z.object({ items: z.array(sessionInfo), total: z.number().int() });

export const totpSetupResponse = z.object({
  secret: z.string(),
  otpauthUrl: z.string(),
  qrDataUrl: z.string(),
});
export const totpCodeRequest = z.object({ code: z.string().regex(/^\d{6}$/, 'must be 6 digits') });
export const totpDisableRequest = z.object({ password: z.string().min(1, 'must not be empty').max(200) });

/** The user's remembered portal settings. */
export const preferences = z.object({
  simColumns: z.array(z.enum(simColumns)).max(simColumns.length).optional(),
});
export type Preferences = z.infer<typeof preferences>;
