// The name rules shared by CLI and server: what each accepts and refuses, and the field and hint it reports.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isEnvName, isScheduleName, parseBranch, parseSecretName, parseScheduleName } from './names.js';

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

describe('branch names (abuse suite, issue 12)', () => {
  it('refuse invisible and direction-changing characters git would take, so a branch never shows as another', () => {
    for (const spoof of ['\u202eppa', 'main\u200b', '\ufeffmain', 'ma\u00a0in', 'main\u2028x', 'main\u0085', 'release\u3000x']) {
      assert.throws(() => parseBranch(spoof), { kind: 'invalid_input', field: 'branch', message: /invisible or direction-changing/ }, JSON.stringify(spoof));
    }
    for (const fine of ['main', 'feature/login', 'wéb', 'ветка', '{a,b}']) assert.equal(parseBranch(fine), fine);
  });
});
