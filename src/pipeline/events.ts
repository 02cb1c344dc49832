// Event names per dialect and how they map onto Slipway's run events (Drone's `promote` is our `deploy`,
// Woodpecker's `manual` and Drone's `custom` are our `manual`, …), both ways.

import type { RunEvent } from '../core/plan.js';
import type { Dialect } from './source.js';

/** Written name → the Slipway events it matches; an empty list is a real event Slipway never produces. */
const NAMES: Readonly<Record<Dialect, Readonly<Record<string, readonly RunEvent[]>>>> = {
  drone: {
    push: ['push'],
    tag: ['tag'],
    pull_request: ['pull_request'],
    cron: ['cron'],
    custom: ['manual'],
    promote: ['deploy'],
    rollback: ['rollback'],
  },
  woodpecker: {
    push: ['push'],
    tag: ['tag'],
    pull_request: ['pull_request'],
    cron: ['cron'],
    manual: ['manual'],
    // Woodpecker has one deployment event for promotions and rollbacks alike.
    deployment: ['deploy', 'rollback'],
    pull_request_closed: [],
    pull_request_metadata: [],
    release: [],
  },
  slipway: {
    push: ['push'],
    tag: ['tag'],
    pull_request: ['pull_request'],
    cron: ['cron'],
    manual: ['manual'],
    deploy: ['deploy'],
    rollback: ['rollback'],
  },
};

export function eventNames(dialect: Dialect): readonly string[] {
  return Object.keys(NAMES[dialect]);
}

/** null when the name is unknown in this dialect. */
export function eventsOf(dialect: Dialect, written: string): readonly RunEvent[] | null {
  return Object.hasOwn(NAMES[dialect], written) ? NAMES[dialect][written] ?? null : null;
}

const DRONE_NAME: Readonly<Record<RunEvent, string>> = {
  push: 'push',
  tag: 'tag',
  pull_request: 'pull_request',
  cron: 'cron',
  manual: 'custom',
  deploy: 'promote',
  rollback: 'rollback',
};

const WOODPECKER_NAME: Readonly<Record<RunEvent, string>> = {
  push: 'push',
  tag: 'tag',
  pull_request: 'pull_request',
  cron: 'cron',
  manual: 'manual',
  deploy: 'deployment',
  rollback: 'deployment',
};

/** DRONE_BUILD_EVENT's value. */
export function droneEventName(event: RunEvent): string {
  return DRONE_NAME[event];
}

/** CI_PIPELINE_EVENT's value. */
export function woodpeckerEventName(event: RunEvent): string {
  return WOODPECKER_NAME[event];
}
