// Fuzzes parse → lint → compile with mutated fixtures: every input must give a plan or a SlipwayError, never
// another exception, and each must finish quickly (a hang or a blow-up shows as a slow input).

import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { SlipwayError } from '../core/errors.js';
import type { RunEvent, RunMeta } from '../core/plan.js';
import { compilePlan } from './compile.js';
import { lintSource } from './lint.js';
import type { Dialect, PipelineSource } from './source.js';
import { FIXTURES, fixtureRepo, fixtureText, runMeta } from './testing.js';

const ITERATIONS = 3000;
const SLOW_MS = 2000;

/** mulberry32: small, seeded, good enough to explore inputs reproducibly. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rand = () => number;
const int = (r: Rand, n: number): number => Math.floor(r() * n);
const pick = <T>(r: Rand, items: readonly T[]): T => items[int(r, items.length)] as T;

const SNIPPETS = [
  '{', '}', '[', ']', ':', ': ', '- ', '&a ', '*a', '<<: *a', '---', '...', '#', '"', "'", '\t', '\\', '|', '>', '%',
  '!!binary', '?', '\u0000', '\u202e', '😀', '${', '$${X}', '${DRONE_COMMIT_SHA:0:8}', 'from_secret: x', '\r\n', '  ',
];
const VALUES = ['true', '42', '-1', '1.5e400', 'null', '~', '[]', '{}', '[a, b]', '{from_secret: s}', '*a', '&a v', '""', "'x'", '0x1F', '.inf', '[[[[]]]]', '{a: {b: {c: d}}}'];

function mutate(text: string, r: Rand): string {
  const lines = text.split('\n');
  const at = (): number => int(r, Math.max(lines.length, 1));
  switch (int(r, 10)) {
    case 0:
      lines.splice(at(), 1);
      break;
    case 1: {
      const i = at();
      lines.splice(i, 0, lines[i] ?? '');
      break;
    }
    case 2: {
      const i = at();
      const j = at();
      [lines[i], lines[j]] = [lines[j] ?? '', lines[i] ?? ''];
      break;
    }
    case 3: {
      const i = at();
      const line = lines[i] ?? '';
      const pos = int(r, line.length + 1);
      const insert = r() < 0.5 ? pick(r, SNIPPETS) : String.fromCharCode(int(r, 0x3000));
      lines[i] = line.slice(0, pos) + insert + line.slice(pos);
      break;
    }
    case 4: {
      const depth = 1 + int(r, 3000);
      const nested = r() < 0.5 ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{a: '.repeat(depth)}1${'}'.repeat(depth)}`;
      lines.splice(at(), 0, `deep: ${nested}`);
      break;
    }
    case 5: {
      const i = at();
      const huge = pick(r, ['x', 'a/', '${', '*', '[', 'é']).repeat(10_000 + int(r, 100_000));
      lines[i] = (lines[i] ?? '').replace(/: .*$/, `: ${huge}`) || `k: ${huge}`;
      break;
    }
    case 6: {
      const i = at();
      lines[i] = (lines[i] ?? '').replace(/: .*$/, `: ${pick(r, VALUES)}`);
      break;
    }
    case 7:
      return text.slice(0, int(r, text.length + 1));
    case 8: {
      const i = at();
      lines[i] = r() < 0.5 ? `  ${lines[i] ?? ''}` : (lines[i] ?? '').replace(/^ {1,2}/, '');
      break;
    }
    default: {
      const i = at();
      lines[i] = (lines[i] ?? '').replace(/^(\s*)(- )?[A-Za-z_]+:/, (_m, s: string, d: string | undefined) => `${s}${d ?? ''}${pick(r, ['steps', 'when', 'matrix', 'depends_on', 'settings', 'environment', 'services', 'name', 'image', 'commands', 'x-y', 'trigger', 'kind'])}:`);
    }
  }
  return lines.join('\n');
}

interface Seed {
  readonly dialect: Dialect;
  readonly files: readonly { path: string; text: string }[];
}

function seeds(): Seed[] {
  const out: Seed[] = [
    { dialect: 'drone', files: fixtureRepo('drone-node') },
    { dialect: 'drone', files: fixtureRepo('drone-multi') },
    { dialect: 'woodpecker', files: fixtureRepo('woodpecker-go') },
    { dialect: 'woodpecker', files: fixtureRepo('woodpecker-folder') },
    { dialect: 'slipway', files: fixtureRepo('slipway-builtins') },
  ];
  for (const name of readdirSync(`${FIXTURES}/bad`)) {
    out.push({ dialect: name.split('-')[0] as Dialect, files: [{ path: name, text: fixtureText(`bad/${name}`) }] });
  }
  return out;
}

function randomMeta(r: Rand): RunMeta {
  const event = pick<RunEvent>(r, ['push', 'tag', 'pull_request', 'cron', 'manual', 'deploy', 'rollback']);
  return runMeta({
    event,
    branch: pick(r, ['main', 'dev', null, 'feature/x']),
    tag: event === 'tag' ? 'v1.0.0' : null,
    target: pick(r, [null, 'main', 'staging']),
    changedFiles: pick(r, [null, [], ['src/a.go', 'docs/x.md']]),
    cronName: event === 'cron' ? 'nightly' : null,
    params: r() < 0.2 ? { VERSION: '1' } : {},
  });
}

function runOne(source: PipelineSource, meta: RunMeta, knownSecrets: readonly string[] | null): void {
  lintSource(source, { knownSecrets });
  try {
    compilePlan(source, meta, { knownSecrets });
  } catch (err) {
    if (!(err instanceof SlipwayError)) throw err;
    assert.equal(err.kind, 'invalid_input');
  }
}

describe('fuzz', () => {
  it(`parses, lints and compiles ${ITERATIONS} mutated files without crashing or hanging`, { timeout: 300_000 }, () => {
    const r = prng(0x5eed);
    const all = seeds();
    let slowest = 0;
    for (let i = 0; i < ITERATIONS; i++) {
      const seed = pick(r, all);
      const files = seed.files.map((f) => {
        let text = f.text;
        for (let m = 1 + int(r, 4); m > 0; m--) text = mutate(text, r);
        return { path: f.path, text };
      });
      const source: PipelineSource = { dialect: seed.dialect, files, shadowed: [] };
      const started = performance.now();
      try {
        runOne(source, randomMeta(r), pick(r, [null, [], ['docker_password', 'github_token']]));
      } catch (err) {
        const sample = files.map((f) => f.text.slice(0, 2000)).join('\n---- file ----\n');
        assert.fail(`iteration ${i} threw ${err instanceof Error ? err.stack : String(err)}\ninput:\n${sample}`);
      }
      const ms = performance.now() - started;
      slowest = Math.max(slowest, ms);
      assert.ok(ms < SLOW_MS, `iteration ${i} took ${Math.round(ms)} ms`);
    }
    assert.ok(slowest < SLOW_MS);
  });

  it('survives random bytes in every dialect', () => {
    const r = prng(42);
    for (let i = 0; i < 500; i++) {
      const text = Array.from({ length: int(r, 400) }, () => String.fromCharCode(int(r, 128))).join('');
      for (const dialect of ['drone', 'woodpecker', 'slipway'] as const) {
        runOne({ dialect, files: [{ path: 'x.yml', text }], shadowed: [] }, randomMeta(r), null);
      }
    }
  });
});
