// Argument checks both stores apply identically, so the fake refuses exactly what SQLite refuses.

import { SlipwayError } from '../../core/errors.js';
import { parseScheduleName, parseSecretName } from '../../core/names.js';
import type { RunEvent } from '../../core/plan.js';
import type { QueueCap } from '../../core/ports/store.js';
import type { RunSource } from '../../core/types.js';

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

export function domainTaken(domain: string, owner: string | undefined): SlipwayError {
  const by = owner === undefined ? 'another app' : `app ${JSON.stringify(owner)}`;
  return new SlipwayError('conflict', `domain ${domain} is already used by ${by}`, {
    field: 'domain',
    hint: 'give this app another domain, or change the other app\'s domain first',
  });
}

/** The refusal when a run would exceed a QueueCap; null when it fits. */
export function queueFull(app: string, cap: QueueCap, appQueued: number, allQueued: number): SlipwayError | null {
  const what =
    appQueued >= cap.perApp
      ? `app ${JSON.stringify(app)} already has ${appQueued} queued runs (the limit is ${cap.perApp})`
      : allQueued >= cap.total
        ? `the server already has ${allQueued} queued runs (the limit is ${cap.total})`
        : null;
  if (what === null) return null;
  return new SlipwayError('conflict', `${what}; this run was not queued`, {
    field: 'app',
    hint: 'wait for queued runs to start, or cancel some (slipway runs cancel <id>), then try again',
  });
}

export function tokenExists(): SlipwayError {
  return new SlipwayError('conflict', 'a token with this hash already exists', { field: 'hash', hint: 'generate a new token' });
}

/** The rule of core/names.ts (one place for CLI and server), with the store's field name. */
export const checkSecretName = (name: string): string => parseSecretName(name);

// A guard, not a check of the cipher: a caller that forgot to seal would otherwise put plaintext in the database.
// Sealed formats start with their version (adapters/secrets/sealer.ts writes `v1:`).
const SEALED = /^v[0-9]+:/;

export function checkSealed(sealed: string): string {
  if (!SEALED.test(sealed)) {
    throw new SlipwayError('invalid_input', 'secret value is not sealed', {
      field: 'value',
      hint: 'seal the value with the secret sealer before storing it; the store never keeps plaintext',
    });
  }
  return sealed;
}

export function secretNotFound(app: string, name: string): SlipwayError {
  return notFound(`secret ${JSON.stringify(name)} of app ${JSON.stringify(app)}`, 'name');
}

export function appRepoNotFound(app: string): SlipwayError {
  return new SlipwayError('not_found', `app ${JSON.stringify(app)} is not connected to a repository`, {
    field: 'app',
    hint: 'connect it with `slipway apps connect <app> --repo <clone URL>`',
  });
}

export const checkScheduleName = (name: string): string => parseScheduleName(name);

export function scheduleNotFound(app: string, name: string): SlipwayError {
  return new SlipwayError('not_found', `schedule ${JSON.stringify(name)} of app ${JSON.stringify(app)} not found`, {
    field: 'name',
    hint: `list the app's schedules with \`slipway cron list ${app}\``,
  });
}

/** A step list names each (pipeline, step) once: they are how updateRunStep and the logs find a step. */
export function checkUniqueSteps(steps: readonly { readonly pipeline: string; readonly name: string }[]): void {
  const seen = new Set<string>();
  for (const step of steps) {
    const key = JSON.stringify([step.pipeline, step.name]);
    if (seen.has(key)) {
      throw new SlipwayError('invalid_input', `step ${JSON.stringify(step.name)} of pipeline ${JSON.stringify(step.pipeline)} is listed twice`, {
        field: 'steps',
        hint: 'step names must be unique within a pipeline',
      });
    }
    seen.add(key);
  }
}

export function stepNotFound(runId: number, pipeline: string, name: string): SlipwayError {
  return notFound(`step ${JSON.stringify(name)} of pipeline ${JSON.stringify(pipeline)} in run ${runId}`, 'step');
}

/** What a run was started by when the caller does not say: rollbacks are their own event, the rest are pushes. */
export function defaultEvent(source: RunSource): RunEvent {
  return source === 'rollback' ? 'rollback' : 'push';
}
