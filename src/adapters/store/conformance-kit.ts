// Shared pieces of the Store conformance suite: how a suite opens a store, a pinned clock, error matchers.

import assert from 'node:assert/strict';
import { SlipwayError, type ErrorKind } from '../../core/errors.js';
import type { NewRelease, NewRun, Store } from '../../core/ports/store.js';
import type { StoreOptions } from './sqlite.js';

export interface OpenedStore {
  readonly store: Store;
  /** Closes the store and removes whatever opening it created (temp files). */
  dispose(): Promise<void>;
}

export type OpenStore = (options: StoreOptions) => Promise<OpenedStore>;

/** A clock that ticks one second per reading, from a fixed start, so timestamps are predictable and ordered. */
export function tickingClock(start = Date.parse('2030-01-01T00:00:00.000Z')): { now: () => Date; at: (tick: number) => string } {
  let tick = 0;
  return {
    now: () => new Date(start + 1000 * tick++),
    at: (n) => new Date(start + 1000 * n).toISOString(),
  };
}

export async function withStore(open: OpenStore, fn: (store: Store) => Promise<void>, options: StoreOptions = {}): Promise<void> {
  const { store, dispose } = await open(options);
  try {
    await fn(store);
  } finally {
    await dispose();
  }
}

/** Matcher for assert.rejects: a SlipwayError of this kind (and field, if given). */
export function slipwayError(kind: ErrorKind, field?: string): (err: unknown) => boolean {
  return (err) => {
    assert.ok(err instanceof SlipwayError, `expected a SlipwayError, got ${String(err)}`);
    assert.equal(err.kind, kind, err.message);
    if (field !== undefined) assert.equal(err.field, field, err.message);
    return true;
  };
}

export const newApp = (name: string) => ({ name, domain: `${name}.example.com`, port: 3000, replicas: 1, branch: 'main' });

export const newRun = (app: string, commit = 'a'.repeat(40)): NewRun => ({ app, source: 'git', ref: 'refs/heads/main', commit });

export function newRelease(app: string, runId: number | null = null, rollbackOf: number | null = null): NewRelease {
  const image = `registry.local/${app}@sha256:${'b'.repeat(64)}`;
  return {
    app,
    image,
    commit: 'c'.repeat(40),
    runId,
    spec: { app, image, port: 3000, replicas: 2, env: { NODE_ENV: 'production' } },
    rollbackOf,
  };
}
