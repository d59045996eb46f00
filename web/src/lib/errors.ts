/** Turns API failures into user-facing messages: field errors next to fields, the rest in a notification. */

import { errorText } from '@contracts/error-text.js';
import type { UseFormReturnType } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useCallback } from 'react';
import { isApiError } from './api.js';
import { isMessageKey, type MessageKey, type Translate, useT } from './i18n.js';

/** The message for an error: our text for its code, or the server's detail (contracts/error-text.ts). */
export function errorMessage(t: Translate, err: unknown): string {
  if (!isApiError(err)) return t('errors.generic');
  const said = errorText(err, isMessageKey);
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
): number {
  if (!isApiError(err)) return 0;
  const matched: Record<string, string> = {};
  for (const { field, message } of err.fieldErrors) {
    if (Object.hasOwn(form.values, field)) matched[field] = message;
  }
  if (Object.keys(matched).length > 0) form.setErrors(matched);
  return Object.keys(matched).length;
}

/** Returns a handler for a failed form submit: field errors on the fields, the detail in a notification. */
export function useFormErrorHandler<V extends Record<string, unknown>>(
  form: UseFormReturnType<V>,
): (err: unknown) => void {
  const notifyError = useNotifyError();
  return useCallback(
    (err: unknown) => {
      applyFieldErrors(form, err);
      notifyError(err);
    },
    [form, notifyError],
  );
}
