/** Turns API failures into user-facing messages: field errors next to fields, the rest in a notification. */

import { errorText, fieldErrorText } from '@contracts/error-text.js';
import type { UseFormReturnType } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useCallback } from 'react';
import { isApiError } from './api.js';
import { isMessageKey, type MessageKey, type Translate, useT } from './i18n.js';

/** The message for an error: our text for its code, or the server's detail (contracts/error-text.ts). */
export function errorMessage(t: Translate, err: unknown): string {
  if (!isApiError(err)) return t('errors.generic');
  const said = errorText({ ...err, errors: err.fieldErrors }, isMessageKey);
  return 'text' in said ? said.text : t(said.key as MessageKey, said.vars);
}

/** The message next to a field the server refused: its reason in the reader's language, or the server's text. */
export function fieldMessage(
  t: Translate,
  error: {
    message: string;
    reason?: string | undefined;
    params?: Record<string, string | number> | undefined;
  },
): string {
  const said = fieldErrorText(error, isMessageKey);
  return 'text' in said ? said.text : t(said.key as MessageKey, said.vars);
}

/** Returns a function that shows an error in a red notification. */
export function useNotifyError(): (err: unknown) => void {
  const t = useT();
  return useCallback(
    (err: unknown) => {
      notifications.show({ color: 'red', title: t('common.error'), message: errorMessage(t, err) });
    },
    [t],
  );
}

/** Shows a green notification. */
export function notifySuccess(message: string): void {
  notifications.show({ color: 'green', message });
}

/** Puts the server's field errors next to the matching form fields; returns how many matched. */
export function applyFieldErrors<V extends Record<string, unknown>>(
  form: UseFormReturnType<V>,
  err: unknown,
  t: Translate,
): number {
  if (!isApiError(err)) return 0;
  const matched: Record<string, string> = {};
  for (const e of err.fieldErrors) {
    if (Object.hasOwn(form.values, e.field)) matched[e.field] = fieldMessage(t, e);
  }
  if (Object.keys(matched).length > 0) form.setErrors(matched);
  return Object.keys(matched).length;
}

/** Returns a handler for a failed form submit: field errors on the fields, the detail in a notification. */
export function useFormErrorHandler<V extends Record<string, unknown>>(
  form: UseFormReturnType<V>,
): (err: unknown) => void {
  const notifyError = useNotifyError();
  const t = useT();
  return useCallback(
    (err: unknown) => {
      applyFieldErrors(form, err, t);
      notifyError(err);
    },
    [form, notifyError, t],
  );
}
