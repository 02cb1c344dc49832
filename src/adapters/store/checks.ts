// Argument checks both stores apply identically, so the fake refuses exactly what SQLite refuses.

import { SlipwayError } from '../../core/errors.js';

/** The JSON text stored for a value; refuses what JSON cannot carry (cycles, BigInt) instead of storing something else. */
export function toJsonText(value: unknown, what: string): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (err) {
    throw new SlipwayError('internal', `cannot store ${what}: not serialisable as JSON`, { field: what, cause: err });
  }
  // JSON.stringify(undefined) is undefined: store null, which reads back as null.
  return text ?? 'null';
}

/** A list limit: a whole number ≥ 0 (SQLite would read a negative LIMIT as "no limit"). */
export function checkLimit(limit: number): number {
  if (!Number.isInteger(limit) || limit < 0) {
    throw new SlipwayError('invalid_input', `invalid limit ${String(limit)}`, { field: 'limit', hint: 'give a whole number of 0 or more' });
  }
  return limit;
}

export function notFound(what: string, field: string): SlipwayError {
  return new SlipwayError('not_found', `${what} not found`, { field });
}

export function appExists(name: string): SlipwayError {
  return new SlipwayError('conflict', `app ${JSON.stringify(name)} already exists`, {
    field: 'name',
    hint: 'choose another name, or delete the existing app first',
  });
}

export function tokenExists(): SlipwayError {
  return new SlipwayError('conflict', 'a token with this hash already exists', { field: 'hash', hint: 'generate a new token' });
}
