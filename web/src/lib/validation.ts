/** Client-side checks of the sign-in forms; the server validates again and its field errors win. */
import type { Translate } from './i18n.js';

const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Required, plausible e-mail address. */
export function checkEmail(t: Translate) {
  return (value: string) => {
    if (!value.trim()) return t('validation.required');
    return emailPattern.test(value.trim()) ? null : t('validation.email');
  };
}

/** Required, non-empty. */
export function checkRequired(t: Translate) {
  return (value: string) => (value.trim() ? null : t('validation.required'));
}

/** A new password: at least 10 characters (the server's rule). */
export function checkNewPassword(t: Translate) {
  return (value: string) => (value.length >= 10 ? null : t('validation.passwordLength'));
}
