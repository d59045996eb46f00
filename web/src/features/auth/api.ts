/** Calls of the sign-in flows: login, forgotten password, reset/set password, first setup. */
import type { LoginRequest } from '@contracts/auth.js';
import { apiPost } from '../../lib/api.js';

/** What POST /api/v1/auth/login answers on success. */
export interface LoginResponse {
  ok: true;
  csrfToken: string;
}

/** Signs in; a 401 here is an answer (wrong password, code needed), not a lost session. */
export function login(body: LoginRequest): Promise<LoginResponse> {
  return apiPost<LoginResponse>('/api/v1/auth/login', body, { allowUnauthorized: true });
}

/** Asks for a reset link; the server answers 202 whether or not the account exists. */
export function forgotPassword(email: string): Promise<unknown> {
  return apiPost('/api/v1/auth/password/forgot', { email });
}

/** Sets a new password with the token from a reset or invitation e-mail. */
export function resetPassword(token: string, password: string): Promise<unknown> {
  return apiPost('/api/v1/auth/password/reset', { token, password });
}

/** The first-start form: creates the provider's first operator account. */
export interface SetupBody {
  token: string;
  email: string;
  firstName: string;
  lastName: string;
  password: string;
}

/** Creates the first operator account with the setup token the installation printed. */
export function setup(body: SetupBody): Promise<unknown> {
  return apiPost('/api/v1/auth/setup', body);
}
