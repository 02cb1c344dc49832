// Sample API answers for CLI tests, shaped by core/api.ts and core/types.ts.

import type { AppStatus, AppSummary } from '../../core/api.js';
import type { Release, Run, TaskState } from '../../core/types.js';

export const DIGEST = 'sha256:' + 'ab12cd34ef56'.repeat(5) + 'abcd';

export function appSummary(overrides: Partial<AppSummary> = {}): AppSummary {
  return {
    name: 'hello',
    domain: 'hello.example.com',
    port: 3000,
    replicas: 1,
    branch: 'main',
    concurrency: 1,
    url: 'https://hello.example.com',
    gitUrl: 'http://127.0.0.1:7070/git/hello.git',
    liveRelease: null,
    createdAt: '2024-05-01T12:00:00.000Z',
    ...overrides,
  };
}

export function run(overrides: Partial<Run> = {}): Run {
  return {
    id: 12,
    app: 'hello',
    source: 'upload',
    ref: null,
    commit: '9f8e7d6c5b4a39281706f5e4d3c2b1a0',
    status: 'queued',
    phase: 'queued',
    targetRelease: null,
    releaseId: null,
    error: null,
    createdAt: '2024-05-01T12:30:00.000Z',
    startedAt: null,
    finishedAt: null,
    ...overrides,
  };
}

export function release(overrides: Partial<Release> = {}): Release {
  return {
    id: 3,
    app: 'hello',
    number: 3,
    image: `127.0.0.1:5000/slipway/hello@${DIGEST}`,
    commit: '1234567890abcdef',
    runId: 12,
    spec: { app: 'hello', image: `127.0.0.1:5000/slipway/hello@${DIGEST}`, port: 3000, replicas: 2, env: {}, releaseNumber: 3 },
    status: 'live',
    rollbackOf: null,
    createdAt: '2024-05-01T12:31:00.000Z',
    deployedAt: '2024-05-01T12:32:00.000Z',
    ...overrides,
  };
}

export function appStatus(overrides: Partial<AppStatus> = {}): AppStatus {
  return {
    app: { name: 'hello', domain: 'hello.example.com', port: 3000, replicas: 2, branch: 'main', concurrency: 1, createdAt: '2024-05-01T12:00:00.000Z' },
    url: 'https://hello.example.com',
    release: release(),
    replicas: { desired: 2, running: 2, healthy: 1 },
    tasks: [
      task({ id: 'task1abcdefghijk', state: 'running', message: 'started', node: 'node-1' }),
      task({ id: 'task2abcdefghijk', state: 'starting', message: 'starting' }),
    ],
    lastRun: run({ status: 'succeeded', phase: 'done' }),
    ...overrides,
  };
}

export function task(overrides: Partial<TaskState> = {}): TaskState {
  return {
    id: 'task1abcdefghijk',
    image: `127.0.0.1:5000/slipway/hello@${DIGEST}`,
    state: 'running',
    desiredState: 'running',
    message: 'started',
    error: null,
    node: null,
    createdAt: '2024-05-01T12:31:30.000Z',
    updatedAt: '2024-05-01T12:32:00.000Z',
    ...overrides,
  };
}
