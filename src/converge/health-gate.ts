// The one health gate of every rollout (apps and stack services): waits until a service runs the wanted version on
// all replicas, healthy, with our own deadline (Swarm has none).

import type { EnginePort, TaskProgress } from '../core/ports/engine.js';
import type { TaskState } from '../core/types.js';

export type GateResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly kind: 'health_gate_failed' | 'rollout_timeout'; readonly reason: string };

/**
 * Which tasks are the rollout's. An app's release has an image of its own, so its tasks are the ones running
 * that image. A stack service's update often keeps the image and changes the command, environment or health
 * check, so its tasks are the ones of the service's current task template (the engine's listTaskProgress).
 */
export type TaskSelection = { readonly image: string } | { readonly template: true };

export interface GateOptions {
  readonly serviceName: string;
  readonly tasks: TaskSelection;
  readonly replicas: number;
  /** Tasks created before this instant belong to earlier rollouts and are ignored. */
  readonly since: Date;
  readonly deadlineMs: number;
  readonly pollMs?: number;
  readonly onProgress?: (line: string) => void;
  /**
   * A new task that ends `complete` (exit code 0) fails the gate. A task also ends so when Swarm stopped it for
   * a failing health check and its process exited on SIGTERM (measured on dockerd 20.10): for a service that
   * should keep running, that is a failure too (stack services; an app's gate just waits for a running task).
   */
  readonly endedFails?: boolean;
  /** The service disappearing fails the gate at once (stack services) rather than at the deadline. */
  readonly goneFails?: boolean;
}

const FAILED_STATES: ReadonlySet<string> = new Set(['failed', 'rejected', 'orphaned']);
const ENDED = 'complete';

/**
 * Live: as many of the rollout's tasks running as wanted (Swarm reports a task RUNNING only once its HEALTHCHECK,
 * if any, passed, and fails it when it turns unhealthy), and no other task running — the old version's tasks are
 * gone, and so are the ones a scale-down stops — so traffic can only reach healthy tasks of the new version.
 */
export async function waitUntilLive(engine: EnginePort, opts: GateOptions): Promise<GateResult> {
  const deadline = Date.now() + opts.deadlineMs;
  const seen = new Map<string, string>();
  const sinceMs = opts.since.getTime() - 2000; // tolerate clock granularity between dockerd and us
  for (;;) {
    const tasks = await listTasks(engine, opts.serviceName, opts.tasks);
    const fresh = tasks.filter((t) => t.current && Date.parse(t.createdAt) >= sinceMs);
    reportChanges(fresh, seen, opts.onProgress);

    const failed = fresh.find((t) => FAILED_STATES.has(t.state));
    if (failed) {
      return { ok: false, kind: 'health_gate_failed', reason: `a new task ${failed.state}: ${failed.error ?? failed.message}` };
    }
    if (opts.endedFails && fresh.some((t) => t.state === ENDED)) {
      return { ok: false, kind: 'health_gate_failed', reason: 'a new task ended with exit code 0: its process stopped, or it exited when Swarm stopped it for a failing health check' };
    }
    const service = await engine.inspectService(opts.serviceName);
    if (service === null && opts.goneFails) return { ok: false, kind: 'health_gate_failed', reason: 'the service disappeared during the deploy' };
    if (service?.updateState === 'paused' || service?.updateState === 'rollback_paused') {
      return { ok: false, kind: 'health_gate_failed', reason: `Swarm paused the update: ${service.updateMessage ?? 'no reason given'}` };
    }
    // Any running task of the rollout counts, however old: rolling back to a spec whose tasks never stopped
    // (start-first kept them) usually creates no new task.
    const running = tasks.filter((t) => t.current && isRunning(t)).length;
    // Other tasks count until their containers are gone, so "live" means only the new version answers.
    const others = tasks.filter((t) => t.state === 'running' && !(t.current && isRunning(t))).length;
    if (running >= opts.replicas && others === 0) return { ok: true };

    if (Date.now() >= deadline) {
      const newest = fresh[0];
      const where = newest ? `newest task is ${newest.state} (${newest.error ?? newest.message})` : 'no task was created';
      // Old tasks are the reason only once the new ones run.
      const old = running >= opts.replicas ? `, ${others} old one(s) still running` : '';
      return {
        ok: false,
        kind: 'rollout_timeout',
        reason: `not live after ${Math.round(opts.deadlineMs / 1000)} s: ${running}/${opts.replicas} new tasks running${old}; ${where}`,
      };
    }
    await new Promise((r) => setTimeout(r, opts.pollMs ?? 500));
  }
}

/** The service's tasks, each marked whether it is one of the rollout's. */
async function listTasks(engine: EnginePort, serviceName: string, selection: TaskSelection): Promise<TaskProgress[]> {
  if ('template' in selection) return engine.listTaskProgress(serviceName);
  return (await engine.listTasks(serviceName)).map((t) => ({ ...t, current: t.image === selection.image }));
}

/** Running and meant to be: Swarm reports RUNNING only after the image's HEALTHCHECK passed. */
function isRunning(t: TaskState): boolean {
  return t.state === 'running' && t.desiredState === 'running';
}

/** One progress line per task state change; `seen` remembers the last state reported per task. */
function reportChanges(tasks: readonly TaskState[], seen: Map<string, string>, onProgress?: (line: string) => void): void {
  for (const t of tasks) {
    const state = t.error ? `${t.state} (${t.error})` : t.state;
    if (seen.get(t.id) === state) continue;
    seen.set(t.id, state);
    onProgress?.(`  task ${t.id.slice(0, 12)}: ${state}\n`);
  }
}
