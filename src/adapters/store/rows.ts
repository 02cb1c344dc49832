// Row → domain mapping for the SQLite store; a row that does not fit the domain types is reported, not passed on.

import { z } from 'zod';
import { SlipwayError } from '../../core/errors.js';
import type { App, Release, ReleaseStatus, Run, RunError, RunPhase, RunSource, RunStatus, ServiceSpecInput } from '../../core/types.js';
import type { AuditEvent } from '../../core/ports/store.js';
import type { Selectable } from 'kysely';
import type { AppsTable, EventsTable, ReleasesTable, RunsTable } from './tables.js';

const RUN_STATUSES: readonly RunStatus[] = ['queued', 'running', 'succeeded', 'failed', 'cancelled'];
const RUN_PHASES: readonly RunPhase[] = ['queued', 'build', 'push', 'deploy', 'done'];
const RUN_SOURCES: readonly RunSource[] = ['git', 'upload', 'rollback', 'config'];
const RELEASE_STATUSES: readonly ReleaseStatus[] = ['deploying', 'live', 'superseded', 'failed', 'rolled_back'];

const runErrorSchema = z.object({ kind: z.string(), message: z.string(), hint: z.string().optional() });
const specSchema = z.object({
  app: z.string(),
  image: z.string(),
  port: z.number().int(),
  replicas: z.number().int(),
  env: z.record(z.string(), z.string()),
});

/** Where a bad value was found, so the error names the exact cell. */
export interface Cell {
  readonly table: string;
  readonly id: number | string;
  readonly column: string;
}

export function corrupt(cell: Cell, problem: string, cause?: unknown): SlipwayError {
  return new SlipwayError('internal', `corrupt database row: ${cell.table} ${cell.id}, column ${cell.column}: ${problem}`, {
    field: `${cell.table}.${cell.column}`,
    hint: 'the database file was changed outside Slipway or is damaged; restore it from a backup',
    cause,
  });
}

export function oneOf<T extends string>(cell: Cell, value: string, allowed: readonly T[]): T {
  const found = allowed.find((a) => a === value);
  if (found === undefined) throw corrupt(cell, `unexpected value ${JSON.stringify(value)}`);
  return found;
}

/** Parses a JSON TEXT column; with a schema, also checks its shape. */
export function parseJsonColumn(cell: Cell, text: string): unknown;
export function parseJsonColumn<T>(cell: Cell, text: string, schema: z.ZodType<T>): T;
export function parseJsonColumn<T>(cell: Cell, text: string, schema?: z.ZodType<T>): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw corrupt(cell, 'not valid JSON', err);
  }
  if (schema === undefined) return value;
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw corrupt(cell, `unexpected shape (${parsed.error.issues[0]?.message ?? 'invalid'})`, parsed.error);
  return parsed.data;
}

export function toApp(row: Selectable<AppsTable>): App {
  return {
    name: row.name,
    domain: row.domain,
    port: row.port,
    replicas: row.replicas,
    branch: row.branch,
    concurrency: row.concurrency,
    createdAt: row.created_at,
  };
}

export function toRun(row: Selectable<RunsTable>): Run {
  const cell = (column: string): Cell => ({ table: 'runs', id: row.id, column });
  const error: RunError | null = row.error === null ? null : parseJsonColumn(cell('error'), row.error, runErrorSchema);
  return {
    id: row.id,
    app: row.app,
    source: oneOf(cell('source'), row.source, RUN_SOURCES),
    ref: row.ref,
    commit: row.commit_sha,
    status: oneOf(cell('status'), row.status, RUN_STATUSES),
    phase: oneOf(cell('phase'), row.phase, RUN_PHASES),
    targetRelease: row.target_release,
    releaseId: row.release_id,
    error,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
}

export function toRelease(row: Selectable<ReleasesTable>): Release {
  const cell = (column: string): Cell => ({ table: 'releases', id: row.id, column });
  const spec: ServiceSpecInput = { ...parseJsonColumn(cell('spec'), row.spec, specSchema), releaseNumber: row.number };
  return {
    id: row.id,
    app: row.app,
    number: row.number,
    image: row.image,
    commit: row.commit_sha,
    runId: row.run_id,
    spec,
    status: oneOf(cell('status'), row.status, RELEASE_STATUSES),
    rollbackOf: row.rollback_of,
    createdAt: row.created_at,
    deployedAt: row.deployed_at,
  };
}

export function toEvent(row: Selectable<EventsTable>): AuditEvent {
  const data = parseJsonColumn({ table: 'events', id: row.id, column: 'data' }, row.data);
  return { id: row.id, type: row.type, app: row.app, data, at: row.at, actor: row.actor, source: row.source };
}
