// The name rules shared by CLI and server: what each accepts and refuses, and the field and hint it reports.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isEnvName, isScheduleName, parseSecretName, parseScheduleName } from './names.js';

describe('secret and parameter names', () => {
  it('accept shell identifiers up to 64 characters', () => {
    for (const name of ['NPM_TOKEN', '_x', 'a', 'A'.repeat(64)]) assert.ok(isEnvName(name), name);
    for (const name of ['', '9LIVES', 'A-B', 'a b', 'A'.repeat(65), 'É', 'X\n']) assert.ok(!isEnvName(name), name);
  });

  it('parseSecretName refuses with the field the caller names', () => {
    assert.equal(parseSecretName('NPM_TOKEN'), 'NPM_TOKEN');
    assert.throws(() => parseSecretName('9LIVES'), { kind: 'invalid_input', message: 'invalid secret name "9LIVES"', field: 'name' });
    assert.throws(() => parseSecretName('a/b', 'NAME'), { field: 'NAME' });
    assert.throws(() => parseSecretName(7), { message: 'invalid secret name 7' });
  });
});

describe('schedule names', () => {
  it('accept plain names up to 63 characters', () => {
    for (const name of ['nightly', '1st', 'a.b_c-d', 'n'.repeat(63)]) assert.ok(isScheduleName(name), name);
    for (const name of ['', '-x', '.x', 'a/b', 'a b', 'n'.repeat(64)]) assert.ok(!isScheduleName(name), name);
    assert.throws(() => parseScheduleName('a/b'), { kind: 'invalid_input', message: 'invalid schedule name "a/b"', field: 'name' });
  });
});
