// Evaluates `when`/`trigger` at compile time against the run: branch, ref, tag, event, deploy target, cron name,
// changed paths and matrix values. A mismatch becomes the skip reason shown to the user; `status` is left to the
// run stage as a StatusFilter (only known once earlier steps have finished).

import type { RunEvent, RunMeta, StatusFilter } from '../core/plan.js';
import { globMatch } from './glob.js';
import { clip } from './keys.js';
import type { Condition, Filter, PathFilter, When } from './model.js';
import type { Dialect } from './source.js';
import { substitute, type Vars } from './substitute.js';

export interface MatchInput {
  readonly meta: RunMeta;
  readonly dialect: Dialect;
  readonly matrix: Readonly<Record<string, string>> | null;
  /** Patterns may use `${CI_…}` variables, substituted like the rest of the file. */
  readonly vars: Vars;
}

export interface WhenResult {
  readonly skip: string | null;
  readonly status: StatusFilter;
}

export function evaluateWhen(when: When, input: MatchInput, label: string): WhenResult {
  if (when.conditions.length === 0) return { skip: null, status: ['success'] };
  const reasons: string[] = [];
  const statuses = new Set<'success' | 'failure'>();
  for (const c of when.conditions) {
    const reason = mismatch(c, input);
    if (reason === null) for (const s of c.status ?? ['success']) statuses.add(s);
    else reasons.push(reason);
  }
  if (statuses.size > 0) return { skip: null, status: (['success', 'failure'] as const).filter((s) => statuses.has(s)) };
  const skip = reasons.length === 1 ? `${label}: ${reasons[0]}` : `${label}: no condition matched (${reasons.join('; ')})`;
  return { skip, status: ['success'] };
}

/** Whether some condition asks for this event by name (an `exclude` or no event filter does not count). */
export function namesEvent(when: When, event: RunEvent): boolean {
  return when.conditions.some((c) => c.filters.some((f) => f.field === 'event' && f.include.includes(event)));
}

function mismatch(c: Condition, input: MatchInput): string | null {
  for (const f of c.filters) {
    const reason = filterMismatch(f, input);
    if (reason !== null) return reason;
  }
  return null;
}

function filterMismatch(f: Filter, input: MatchInput): string | null {
  const { meta, dialect } = input;
  switch (f.field) {
    case 'event': {
      if (f.exclude.includes(meta.event)) return `event ${meta.event} is excluded`;
      return f.include.length === 0 || f.include.includes(meta.event) ? null : `event ${meta.event} is not one of ${list(f.written)}`;
    }
    case 'path':
      return pathMismatch(f, meta);
    case 'matrix': {
      const value = (k: string): string => input.matrix?.[k] ?? '';
      const miss = Object.entries(f.include).find(([k, p]) => !globMatch(p, value(k)));
      if (miss !== undefined) return `matrix ${miss[0]}=${value(miss[0])} does not match ${miss[1]}`;
      const ex = Object.entries(f.exclude);
      return ex.length > 0 && ex.every(([k, p]) => globMatch(p, value(k))) ? 'matrix combination is excluded' : null;
    }
    default: {
      // Woodpecker ignores branch filters on tags (a tag has no branch) and cron filters outside cron runs.
      if (dialect !== 'drone' && ((f.field === 'branch' && meta.event === 'tag') || (f.field === 'cron' && meta.event !== 'cron'))) return null;
      const value = globValue(f.field, meta);
      const include = f.include.map((p) => substitute(p, input.vars));
      const exclude = f.exclude.map((p) => substitute(p, input.vars));
      if (exclude.some((p) => globMatch(p, value ?? ''))) return `${f.field} "${clip(value ?? '')}" is excluded by ${list(exclude)}`;
      if (include.length === 0 || include.some((p) => globMatch(p, value ?? ''))) return null;
      return value === null ? `no ${f.field} to match ${list(include)}` : `${f.field} "${clip(value)}" does not match ${list(include)}`;
    }
  }
}

function globValue(field: 'branch' | 'ref' | 'tag' | 'target' | 'cron', meta: RunMeta): string | null {
  switch (field) {
    // Both tools match a pull request's target branch.
    case 'branch':
      return meta.event === 'pull_request' ? meta.target ?? meta.branch : meta.branch;
    case 'ref':
      return meta.ref;
    case 'tag':
      return meta.tag;
    case 'target':
      return meta.event === 'deploy' || meta.event === 'rollback' ? meta.target : null;
    case 'cron':
      return meta.cronName;
  }
}

/**
 * Runs when some changed file is included and not excluded: `exclude: [docs/**]` skips docs-only pushes.
 * Only pushes and pull requests have changed files; unknown changes (null) match, as RunMeta documents.
 */
function pathMismatch(f: PathFilter, meta: RunMeta): string | null {
  if (meta.event !== 'push' && meta.event !== 'pull_request') return null;
  const files = meta.changedFiles;
  if (files === null) return null;
  if (f.ignoreMessage !== null && f.ignoreMessage !== '' && meta.commitMessage.toLowerCase().includes(f.ignoreMessage.toLowerCase())) return null;
  if (files.length === 0) return f.onEmpty ? null : 'no files changed';
  const relevant = files.filter((file) => !f.exclude.some((p) => globMatch(p, file)));
  if (relevant.length === 0) return `every changed file is excluded by ${list(f.exclude)}`;
  if (f.include.length === 0 || relevant.some((file) => f.include.some((p) => globMatch(p, file)))) return null;
  return `no changed file matches ${list(f.include)}`;
}

function list(items: readonly string[]): string {
  const shown = items.slice(0, 5).map((i) => clip(i, 40));
  return `[${shown.join(', ')}${items.length > 5 ? ', …' : ''}]`;
}
