// Secret names as the store accepts them, checked before a value is asked for.

import { SlipwayError } from '../../../core/errors.js';

// The rule of core/ports/store.ts: names become environment variables inside steps.
const SECRET_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** The name, or invalid_input with the rule as the hint. */
export function secretName(name: string): string {
  if (!SECRET_NAME.test(name)) {
    throw new SlipwayError('invalid_input', `invalid secret name ${JSON.stringify(name)}`, {
      field: 'NAME',
      hint: 'use letters, digits and _, not starting with a digit, at most 64 characters (e.g. NPM_TOKEN)',
    });
  }
  return name;
}
