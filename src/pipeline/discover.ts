// Finds the pipeline source of a repository: `.slipway.yml`, else `.slipway/*.yml`, else `.woodpecker.yml`, else
// `.woodpecker/*.yml`, else `.drone.yml`; null when there is none (the caller then runs defaultPlan).

import type { Dialect, PipelineSource, RepoFile } from './source.js';

export { defaultPlan } from './default-plan.js';

interface Candidate {
  readonly dialect: Dialect;
  readonly matches: (path: string) => boolean;
}

const isYaml = (p: string): boolean => p.endsWith('.yml') || p.endsWith('.yaml');
const inFolder = (folder: string) => (p: string): boolean => p.startsWith(`${folder}/`) && !p.slice(folder.length + 1).includes('/') && isYaml(p);

/** In precedence order; a single file wins over the folder of the same tool. */
const CANDIDATES: readonly Candidate[] = [
  { dialect: 'slipway', matches: (p) => p === '.slipway.yml' || p === '.slipway.yaml' },
  { dialect: 'slipway', matches: inFolder('.slipway') },
  { dialect: 'woodpecker', matches: (p) => p === '.woodpecker.yml' || p === '.woodpecker.yaml' },
  { dialect: 'woodpecker', matches: inFolder('.woodpecker') },
  { dialect: 'drone', matches: (p) => p === '.drone.yml' || p === '.drone.yaml' },
];

export function discoverPipelines(files: readonly RepoFile[]): PipelineSource | null {
  const normalized = files.map((f) => ({ path: normalizePath(f.path), text: f.text }));
  const groups = CANDIDATES.map((c) => ({
    dialect: c.dialect,
    files: normalized.filter((f) => c.matches(f.path)).sort((a, b) => a.path.localeCompare(b.path)),
  }));
  const chosenIndex = groups.findIndex((g) => g.files.length > 0);
  const chosen = groups[chosenIndex];
  if (chosen === undefined) return null;
  // `.slipway.yml` beside `.slipway.yaml` would be ambiguous: the .yml one is used, the other reported.
  const single = chosenIndex === 0 || chosenIndex === 2 || chosenIndex === 4;
  const used = single ? [chosen.files.find((f) => f.path.endsWith('.yml')) ?? chosen.files[0]].filter((f) => f !== undefined) : chosen.files;
  const shadowed = groups.flatMap((g) => g.files.map((f) => f.path)).filter((p) => !used.some((u) => u.path === p));
  return { dialect: chosen.dialect, files: used, shadowed };
}

/** The dialect a pipeline file is written in, from its path; null for other names (e.g. `slipway lint ci.yml`). */
export function dialectOf(path: string): Dialect | null {
  const p = normalizePath(path);
  const candidate = CANDIDATES.find((c) => c.matches(p) || c.matches(p.split('/').slice(-2).join('/')) || c.matches(p.split('/').pop() ?? p));
  return candidate?.dialect ?? null;
}

/** For files of unknown name: Drone documents say `kind:`; anything else is read as Slipway's own syntax. */
export function guessDialect(text: string): Dialect {
  return /^kind:\s*\S/m.test(text) ? 'drone' : 'slipway';
}

function normalizePath(path: string): string {
  return path.replace(/\\/g, '/').replace(/^(\.\/)+/, '');
}
