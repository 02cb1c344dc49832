// Names and labels of the Docker objects a pipeline run makes (volumes, networks, containers); pure.

import { createHash } from 'node:crypto';
import type { WorkspaceRef } from '../../core/ports/step-backend.js';

export const LABELS = {
  app: 'io.slipway.app',
  run: 'io.slipway.run',
  step: 'io.slipway.step',
  /** The WorkspaceRef id: teardown finds every container of one pipeline of one run by it. */
  workspace: 'io.slipway.workspace',
  /** step | service | extract: what the container is for, when reading `docker ps`. */
  role: 'io.slipway.role',
  cache: 'io.slipway.cache',
} as const;

export type ContainerRole = 'step' | 'service' | 'extract';

/**
 * A Docker-safe name part ([a-z0-9_.-], starting with a letter or digit). When that changes the text (spaces,
 * capitals, `test (NODE=18)`), a short hash of the original is appended so two names never collapse into one.
 */
export function slugOf(text: string, maxLength = 40): string {
  const slug = text
    .toLowerCase()
    .replace(/[^a-z0-9_.-]+/g, '-')
    .replace(/^[^a-z0-9]+|-+$/g, '')
    .slice(0, maxLength)
    .replace(/-+$/, '');
  if (slug === text && slug !== '') return slug;
  const hash = createHash('sha256').update(text).digest('hex').slice(0, 6);
  return slug === '' ? `x-${hash}` : `${slug}-${hash}`;
}

/** The workspace of one pipeline of one run; with `reuse`, the volume kept by an earlier run. */
export function workspaceRefFor(namespace: string, app: string, runId: number, pipelineName: string, reuse: string | null): WorkspaceRef {
  const slug = slugOf(pipelineName);
  const network = `${namespace}-run-${runId}-${slug}`;
  return { id: network, network, volume: reuse ?? `${namespace}-ws-${slugOf(app)}-${runId}-${slug}` };
}

/**
 * Every step network's Linux bridge is named `slwstep<hash>` (15 characters, the kernel's limit), so the firewall
 * Slipway installs at start (infra/step-firewall.ts) matches all of them with one `-i slwstep+`.
 */
export const STEP_BRIDGE_PREFIX = 'slwstep';

export function stepBridgeName(network: string): string {
  return `${STEP_BRIDGE_PREFIX}${createHash('sha256').update(network).digest('hex').slice(0, 15 - STEP_BRIDGE_PREFIX.length)}`;
}

/** Caches belong to the app, not the run: the same name gives the same volume in every run. */
export function cacheVolumeName(namespace: string, app: string, cache: string): string {
  return `${namespace}-cache-${slugOf(app)}-${slugOf(cache)}`;
}

/** The run id is part of the workspace id (see workspaceRefFor); '' for ids made elsewhere. */
export function runIdOf(ref: WorkspaceRef): string {
  return /-run-(\d+)-/.exec(ref.id)?.[1] ?? '';
}

export function labelsFor(app: string, ref: WorkspaceRef, role: ContainerRole, name: string): Record<string, string> {
  return {
    [LABELS.app]: app,
    [LABELS.run]: runIdOf(ref),
    [LABELS.workspace]: ref.id,
    [LABELS.role]: role,
    [LABELS.step]: name,
  };
}

/** Unique per attempt (a retried step gets a fresh container), readable in `docker ps`. */
export function containerName(ref: WorkspaceRef, name: string, suffix: string): string {
  return `${ref.id}-${slugOf(name, 30)}-${suffix}`;
}

/** The step or service name as a host name on the run network; steps reach services by it. */
export function aliasOf(name: string): string {
  return /^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(name) ? name : slugOf(name, 63);
}
