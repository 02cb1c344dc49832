// Test helpers: fixture files read from disk as RepoFiles, and a RunMeta with overridable fields.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunMeta } from '../core/plan.js';
import type { RepoFile } from './source.js';

export const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));

/** Every file under fixtures/<dir>, with paths relative to that directory (as a repository would give them). */
export function fixtureRepo(dir: string): RepoFile[] {
  const root = join(FIXTURES, dir);
  const out: RepoFile[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else out.push({ path: relative(root, full).split('\\').join('/'), text: readFileSync(full, 'utf8') });
    }
  };
  walk(root);
  return out;
}

export function fixtureText(path: string): string {
  return readFileSync(join(FIXTURES, path), 'utf8');
}

export function runMeta(overrides: Partial<RunMeta> = {}): RunMeta {
  return {
    app: 'shop',
    runNumber: 42,
    event: 'push',
    commit: '3f2a9c1d7e5b4a60918273645546372819a0b1c2',
    ref: 'refs/heads/main',
    branch: 'main',
    tag: null,
    target: null,
    changedFiles: null,
    cronName: null,
    params: {},
    commitMessage: 'Fix checkout rounding',
    author: 'ada',
    fromFork: false,
    describe: null,
    ...overrides,
  };
}
