/** The one error type services throw; each transport maps it (HTTP: problem+json, RADIUS: reject, SMPP: status). */

/** Stable error codes with their HTTP status and title. Clients may rely on the codes. */
export const errorCodes = {
  validation_failed: { status: 400, title: 'Invalid request' },
  unauthenticated: { status: 401, title: 'Not signed in' },
  invalid_credentials: { status: 401, title: 'Wrong e-mail or password' },
  totp_required: { status: 401, title: 'Two-factor code required' },
  invalid_totp: { status: 401, title: 'Wrong two-factor code' },
  csrf_failed: { status: 403, title: 'Cross-site request refused' },
  forbidden: { status: 403, title: 'Not allowed' },
  not_found: { status: 404, title: 'Not found' },
  method_not_allowed: { status: 405, title: 'Method not allowed' },
  conflict: { status: 409, title: 'Conflict' },
  sms_volume_exhausted: { status: 409, title: 'SMS volume used up' },
  sms_limit_reached: { status: 409, title: 'Monthly SMS limit reached' },
  invalid_token: { status: 400, title: 'Invalid or expired link' },
  payload_too_large: { status: 413, title: 'Request too large' },
  unsupported_media_type: { status: 415, title: 'Unsupported media type' },
  too_many_requests: { status: 429, title: 'Too many requests' },
  internal: { status: 500, title: 'Internal error' },
  unavailable: { status: 503, title: 'Service unavailable' },
} as const satisfies Record<string, { status: number; title: string }>;
export type ErrorCode = keyof typeof errorCodes;

export interface FieldError {
  field: string;
  message: string;
  /** The line of an uploaded file the error is on. */
  line?: number;
  /**
   * What is wrong with the field, as a stable key with the values its message needs: the portal says
   * it in the reader's language (`errors.field.<reason>`), the message stays English.
   */
  reason?: string;
  params?: Record<string, string | number>;
}

/** A failure a client can act on: a stable code, a human detail, optional field errors. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly detail: string,
    readonly extra: {
      errors?: FieldError[];
      retryAfterSeconds?: number;
      /**
       * What exactly is in the way, as a stable key with the values its message needs: the portal
       * says it in the reader's language (`errors.<code>.<reason>`), the detail stays English.
       */
      reason?: { key: string; params?: Record<string, string | number> };
    } = {},
  ) {
    super(detail);
    this.name = 'AppError';
  }

  get status(): number {
    return errorCodes[this.code].status;
  }
}

/** A 409 with its reason (a key of the portal's `errors.conflict.*` messages) and the values it names. */
export function conflict(reason: string, params: Record<string, string | number>, detail: string): AppError {
  return new AppError('conflict', detail, { reason: { key: reason, params } });
}

/** A 400 naming one field; with a `reason` (and its values) the portal says it in the reader's language. */
export function invalidField(
  field: string,
  message: string,
  reason?: string,
  params?: Record<string, string | number>,
): AppError {
  const error: FieldError = { field, message, ...(reason ? { reason } : {}), ...(params ? { params } : {}) };
  return new AppError('validation_failed', `${field}: ${message}`, { errors: [error] });
}

/** A 409 for fields whose value something else already holds (an e-mail, a client's name, a NAS address). */
export function fieldsInUse(errors: (FieldError & { reason: string })[], detail?: string): AppError {
  return new AppError('conflict', detail ?? errors.map((e) => `${e.field}: ${e.message}`).join('; '), {
    errors,
    reason: { key: 'fields_in_use' },
  });
}

/** A 404 that says the same whether the thing does not exist or belongs to someone else. */
export function notFound(what: string): AppError {
  return new AppError('not_found', `${what} not found`);
}
