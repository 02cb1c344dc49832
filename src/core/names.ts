// Validation of user-chosen names, one rule each for CLI and server: apps (Docker services), domains (Caddy hosts),
// branches, secrets and parameters (environment variables), cron schedules.

import { SlipwayError } from './errors.js';

const APP_NAME = /^[a-z][a-z0-9-]{0,30}[a-z0-9]$/;
const DOMAIN_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
/** Format (bidi, zero-width), line/paragraph separators and spaces other than ASCII's, and NEL. */
const INVISIBLE = /[\p{Cf}\p{Zl}\p{Zp}\p{Zs}\u0085]/u;

export function parseAppName(value: unknown): string {
  if (typeof value !== 'string' || !APP_NAME.test(value)) {
    throw new SlipwayError('invalid_input', `invalid app name ${JSON.stringify(value)}`, {
      field: 'name',
      hint: 'use 2–32 characters: lowercase letters, digits and "-", starting with a letter and not ending with "-" (e.g. "hello-api")',
    });
  }
  return value;
}

export function parseDomain(value: unknown): string {
  const hint = 'give a fully qualified host name such as "app.example.com" (lowercase letters, digits, "-" and dots; no scheme, port or path)';
  if (typeof value !== 'string' || value.length > 253) {
    throw new SlipwayError('invalid_input', `invalid domain ${JSON.stringify(value)}`, { field: 'domain', hint });
  }
  const labels = value.split('.');
  if (labels.length < 2 || !labels.every((l) => DOMAIN_LABEL.test(l)) || /^[0-9]+$/.test(labels[labels.length - 1] ?? '')) {
    throw new SlipwayError('invalid_input', `invalid domain ${JSON.stringify(value)}`, { field: 'domain', hint });
  }
  return value;
}

/** Why `name` is not a valid ref name (git check-ref-format, plus no leading `-`), or null when it is. */
export function refNameProblem(name: string): string | null {
  if (name === '') return 'it is empty';
  if (name.length > 255) return 'it is longer than 255 characters';
  if (name.startsWith('-')) return 'it starts with -';
  if (/[\x00-\x20\x7f~^:?*[\\]/.test(name)) return 'it contains a space, a control character or one of ~ ^ : ? * [ \\';
  if (name.includes('..')) return 'it contains ..';
  if (name.includes('@{')) return 'it contains @{';
  if (name === '@') return 'it is @';
  if (name.startsWith('/') || name.endsWith('/') || name.includes('//')) return 'it has an empty part between slashes';
  if (name.endsWith('.')) return 'it ends with .';
  if (name.split('/').some((part) => part.startsWith('.') || part.endsWith('.lock'))) return 'a part starts with . or ends with .lock';
  return null;
}

/**
 * A branch as users and webhooks name it (without refs/heads/): git's own rule, so a name accepted here is one the
 * git adapter accepts too (one rule: a stored schedule or app branch never turns into an error at every use).
 */
export function parseBranch(value: unknown): string {
  const problem = typeof value !== 'string' ? 'it is not text' : value === 'HEAD' ? 'HEAD is not a branch' : value.length > 100 ? 'it is longer than 100 characters'
    // Git takes them, but a branch that shows as another (U+202E, U+200B, a no-break space) is a spoof, not a name.
    : INVISIBLE.test(value) ? 'it contains an invisible or direction-changing character' : refNameProblem(value);
  if (problem !== null) {
    throw new SlipwayError('invalid_input', `invalid branch ${JSON.stringify(value)}: ${problem}`, {
      field: 'branch',
      hint: 'use a plain git branch name such as "main" or "feature/login" (no ~ ^ : ? * [ \\ @{ .. and no leading -)',
    });
  }
  return value as string;
}

export function parsePort(value: unknown, field = 'port'): number {
  const n = typeof value === 'string' && /^[0-9]+$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 65535) {
    throw new SlipwayError('invalid_input', `invalid ${field} ${JSON.stringify(value)}`, {
      field,
      hint: 'give the TCP port your app listens on inside its container, 1–65535',
    });
  }
  return n;
}

/** Most runs of one app at a time. Above 1 only pipelines overlap: deploys stay one at a time, in order. */
export const MAX_APP_CONCURRENCY = 16;

export function parseConcurrency(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_APP_CONCURRENCY) {
    throw new SlipwayError('invalid_input', `invalid concurrency ${JSON.stringify(value)}`, {
      field: 'concurrency',
      hint: `give a whole number from 1 to ${MAX_APP_CONCURRENCY}: how many runs of this app may run at a time (the server's SLIPWAY_MAX_RUNS caps all apps together)`,
    });
  }
  return value;
}

export function parseReplicas(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 100) {
    throw new SlipwayError('invalid_input', `invalid replicas ${JSON.stringify(value)}`, {
      field: 'replicas',
      hint: 'give a whole number from 1 to 100',
    });
  }
  return value;
}

// Secret and parameter names become environment variables inside steps, hence the shell's identifier rule.
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
// Schedule names appear in `when: { cron: [...] }`, DRONE_CRON and URLs: keep them plain.
const SCHEDULE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;

/** True for a name a step can see as an environment variable: a secret or a run parameter. */
export function isEnvName(value: string): boolean {
  return ENV_NAME.test(value);
}

/** A secret's name; `field` is how the caller names the input (the CLI's `NAME` argument, the API's `name`). */
export function parseSecretName(value: unknown, field = 'name'): string {
  if (typeof value !== 'string' || !isEnvName(value)) {
    throw new SlipwayError('invalid_input', `invalid secret name ${JSON.stringify(value)}`, {
      field,
      hint: 'use letters, digits and _, not starting with a digit, at most 64 characters (e.g. NPM_TOKEN)',
    });
  }
  return value;
}

export function isScheduleName(value: string): boolean {
  return SCHEDULE_NAME.test(value);
}

/** A cron schedule's name. */
export function parseScheduleName(value: unknown, field = 'name'): string {
  if (typeof value !== 'string' || !isScheduleName(value)) {
    throw new SlipwayError('invalid_input', `invalid schedule name ${JSON.stringify(value)}`, {
      field,
      hint: 'use letters, digits, ".", "_" and "-", starting with a letter or digit, at most 63 characters (e.g. nightly)',
    });
  }
  return value;
}
