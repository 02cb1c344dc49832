// Waits until a service runs the wanted image on all replicas, healthy, with our own deadline (Swarm has none).

import type { EnginePort } from '../core/ports/engine.js';
import type { TaskState } from '../core/types.js';

export type GateResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly kind: 'health_gate_failed' | 'rollout_timeout'; readonly reason: string };

export interface GateOptions {
  readonly serviceName: string;
  readonly image: string;
  readonly replicas: number;
  /** Tasks created before this instant belong to earlier rollouts and are ignored. */
  readonly since: Date;
  readonly deadlineMs: number;
  readonly pollMs?: number;
  readonly onProgress?: (line: string) => void;
}

export const FAILED_STATES: ReadonlySet<string> = new Set(['failed', 'rejected', 'orphaned']);

/**
 * Swarm reports a task RUNNING only once its HEALTHCHECK (if the image has one) passed, and fails it when it
 * turns unhealthy, so "all new tasks running, no old task running" means traffic can only reach healthy tasks.
 */
export async function waitUntilLive(engine: EnginePort, opts: GateOptions): Promise<GateResult> {
  const deadline = Date.now() + opts.deadlineMs;
  const seen = new Map<string, string>();
  const sinceMs = opts.since.getTime() - 2000; // tolerate clock granularity between dockerd and us
  for (;;) {
    const tasks = await engine.listTasks(opts.serviceName);
    const fresh = tasks.filter((t) => t.image === opts.image && Date.parse(t.createdAt) >= sinceMs);
    reportChanges(fresh, seen, opts.onProgress);

    const failed = fresh.find((t) => FAILED_STATES.has(t.state));
    if (failed) {
      return { ok: false, kind: 'health_gate_failed', reason: `a new task ${failed.state}: ${failed.error ?? failed.message}` };
    }
    const service = await engine.inspectService(opts.serviceName);
    if (service?.updateState === 'paused' || service?.updateState === 'rollback_paused') {
      return { ok: false, kind: 'health_gate_failed', reason: `Swarm paused the update: ${service.updateMessage ?? 'no reason given'}` };
    }
    // Any running task of the wanted image counts, however old: rolling back to a spec whose tasks never stopped
    // (start-first kept them) usually creates no new task.
    const running = tasks.filter((t) => t.image === opts.image && isRunning(t)).length;
    // Old tasks count until their containers are gone, so "live" means only the new version answers.
    const oldRunning = tasks.filter((t) => t.image !== opts.image && t.state === 'running').length;
    if (running >= opts.replicas && oldRunning === 0) return { ok: true };

    if (Date.now() >= deadline) {
      const newest = fresh[0];
      const where = newest ? `newest task is ${newest.state} (${newest.error ?? newest.message})` : 'no task was created';
      return {
        ok: false,
        kind: 'rollout_timeout',
        reason: `not live after ${Math.round(opts.deadlineMs / 1000)} s: ${running}/${opts.replicas} new tasks running; ${where}`,
      };
    }
    await new Promise((r) => setTimeout(r, opts.pollMs ?? 500));
  }
}

/** Running and meant to be: Swarm reports RUNNING only after the image's HEALTHCHECK passed. */
export function isRunning(t: TaskState): boolean {
  return t.state === 'running' && t.desiredState === 'running';
}

/** One progress line per task state change; `seen` remembers the last state reported per task. */
export function reportChanges(tasks: readonly TaskState[], seen: Map<string, string>, onProgress?: (line: string) => void): void {
  for (const t of tasks) {
    const state = t.error ? `${t.state} (${t.error})` : t.state;
    if (seen.get(t.id) === state) continue;
    seen.set(t.id, state);
    onProgress?.(`  task ${t.id.slice(0, 12)}: ${state}\n`);
  }
}
