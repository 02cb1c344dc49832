// Compose files from public repositories (fixtures/corpus/SOURCES.md), each with its verdict (corpus-verdicts.ts).
// The copies are not committed: put them in fixtures/corpus/ or point SLIPWAY_COMPOSE_CORPUS at them.

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { readComposeFiles, UNTRUSTED } from './compose.js';
import { ADMIN, CORPUS, type Outcome } from './corpus-verdicts.js';
import type { ComposeVariables, StackPolicy } from './model.js';

const dir = process.env['SLIPWAY_COMPOSE_CORPUS'] ?? fileURLToPath(new URL('./fixtures/corpus/', import.meta.url));
const present = CORPUS.filter((v) => existsSync(join(dir, v.file)));
const BASE: ComposeVariables = { SLIPWAY_IMAGE: '127.0.0.1:5000/apps/x@sha256:' + 'a'.repeat(64), SLIPWAY_APP: 'x', SLIPWAY_STACK: 'main', SLIPWAY_COMMIT: 'c0ffee' };

type Judged = { readonly warnings: number } | { readonly error: string };

function judge(file: string, vars: ComposeVariables, policy: StackPolicy): Judged {
  const text = readFileSync(join(dir, file), 'utf8');
  const envPath = join(dir, file.replace(/\.yml$/, '.env'));
  const dotenv = existsSync(envPath) ? readFileSync(envPath, 'utf8') : null;
  const r = readComposeFiles([{ path: file, text }], { ...BASE, ...vars }, policy, { readRepoFile: (p) => (p === '.env' ? dotenv : null) });
  if (r.stack !== null) return { warnings: r.findings.length };
  return { error: r.findings.find((f) => f.severity === 'error')?.message ?? '' };
}

function check(actual: Judged, expected: Outcome, what: string): void {
  if ('warnings' in expected) assert.deepEqual(actual, expected, `${what}: expected accepted with ${expected.warnings} warnings`);
  else {
    assert.ok('error' in actual, `${what}: expected refused (${String(expected.refused)}), was accepted`);
    assert.match(actual.error, expected.refused, what);
  }
}

describe('public compose files', { skip: present.length === 0 ? `no corpus files in ${dir} (see SOURCES.md)` : false }, () => {
  it('has a verdict for every file and at least 25 files', () => {
    assert.ok(CORPUS.length >= 25);
    assert.equal(new Set(CORPUS.map((v) => v.file)).size, CORPUS.length);
  });

  for (const v of present) {
    it(v.file, () => {
      check(judge(v.file, {}, UNTRUSTED), v.asIs, `${v.file} as it is`);
      if (v.withAdmin !== undefined) check(judge(v.file, v.withAdmin.vars ?? {}, ADMIN), v.withAdmin.outcome, `${v.file} with an admin's trust`);
    });
  }

  it('figures: accepted as they are, and once an admin trusts the app', () => {
    const asIs = present.filter((v) => 'warnings' in v.asIs).length;
    const withAdmin = present.filter((v) => 'warnings' in v.asIs || (v.withAdmin !== undefined && 'warnings' in v.withAdmin.outcome)).length;
    console.log(`compose corpus: ${asIs} of ${present.length} accepted unchanged; ${withAdmin} of ${present.length} with the app's settings and an admin's trust`);
    assert.ok(withAdmin > present.length / 2);
  });
});
