// Test helpers: fixture repositories read from disk, a RunMeta with overridable fields, plan lookups.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PipelinePlan, RunMeta, RunPlan, StepPlan } from '../core/plan.js';
import { compilePlan } from './compile.js';
import { discoverPipelines } from './discover.js';
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

/** Discovers and compiles the repository in fixtures/<dir>. */
export function compileFixture(dir: string, meta: Partial<RunMeta> = {}, knownSecrets: readonly string[] | null = null): RunPlan {
  const source = discoverPipelines(fixtureRepo(dir));
  if (source === null) throw new Error(`no pipeline source in ${dir}`);
  return compilePlan(source, runMeta(meta), { knownSecrets });
}

export function pipeline(plan: RunPlan, name: string): PipelinePlan {
  const p = plan.pipelines.find((x) => x.name === name);
  if (p === undefined) throw new Error(`no pipeline ${name} in ${plan.pipelines.map((x) => x.name).join(', ')}`);
  return p;
}

export function step(p: PipelinePlan, name: string): StepPlan {
  const s = p.steps.find((x) => x.name === name);
  if (s === undefined) throw new Error(`no step ${name} in ${p.name}`);
  return s;
}
