import { describe, expect, it } from 'vitest';
import { en } from '../web/src/lib/locales/en.js';
import { errorText, fieldErrorText } from './error-text.js';

const known = (key: string) => key in en;
const problem = (code: string, detail: string) => ({ code, title: 'Title', detail });

describe('what the portal says for a failed request', () => {
  it('when a conflict says what is in the way, then that is shown, not the general text', () => {
    const detail = 'SIM 8949020123000000011 is expired: only a lifetime extension can bring it back.';
    expect(errorText(problem('conflict', detail), known)).toEqual({ text: detail });
    expect(errorText(problem('conflict', ''), known)).toEqual({ key: 'errors.conflict' });
  });

  it('when the code says it all, then the catalogue speaks; an unknown code shows the detail', () => {
    expect(errorText(problem('invalid_credentials', 'Wrong e-mail or password'), known)).toEqual({
      key: 'errors.invalid_credentials',
    });
    expect(errorText(problem('validation_failed', 'label: must be at most 64 characters'), known)).toEqual({
      text: 'label: must be at most 64 characters',
    });
    expect(errorText({ code: 'teapot', title: '', detail: '' }, known)).toEqual({ key: 'errors.generic' });
  });

  it('when a conflict has a reason with texts, then it is said with the values the server sent', () => {
    const p = {
      code: 'conflict',
      title: 'Conflict',
      detail: 'SIM 1 has no open data session to reset.',
      reason: 'no_open_session',
      params: { iccid: '1' },
    };
    expect(errorText(p, known)).toEqual({ key: 'errors.conflict.no_open_session', vars: { iccid: '1' } });
    // a reason this portal has no text for: the detail
    expect(errorText({ ...p, reason: 'something_new' }, known)).toEqual({ text: p.detail });
  });
});

describe('what the portal says next to a refused field', () => {
  it('when the server names a reason with texts, then it is said with its values; otherwise its message', () => {
    const e = {
      message: 'has host bits set; the block starts at a multiple of 256',
      reason: 'cidr_host_bits',
      params: { multiple: 256 },
    };
    expect(fieldErrorText(e, known)).toEqual({ key: 'errors.field.cidr_host_bits', vars: { multiple: 256 } });
    expect(fieldErrorText({ message: 'is already in use', reason: 'in_use' }, known)).toEqual({
      key: 'errors.field.in_use',
      vars: {},
    });
    // a reason this portal has no text for, or none at all: the server's message
    expect(fieldErrorText({ ...e, reason: 'something_new' }, known)).toEqual({ text: e.message });
    expect(fieldErrorText({ message: 'must be at most 64 characters' }, known)).toEqual({
      text: 'must be at most 64 characters',
    });
  });

  it('when a 400 names a field reason with texts, then the notification says that reason too', () => {
    const p = {
      code: 'validation_failed',
      title: 'Invalid request',
      detail: 'currentPassword: is wrong',
      errors: [{ field: 'currentPassword', message: 'is wrong', reason: 'wrong_password' }],
    };
    expect(errorText(p, known)).toEqual({ key: 'errors.field.wrong_password', vars: {} });
    // without a known reason: the detail, as before
    expect(errorText({ ...p, errors: [{ field: 'x', message: 'is wrong' }] }, known)).toEqual({
      text: p.detail,
    });
  });
});
