// Waits until a stack service runs its current spec on all replicas, healthy, with our own deadline. Unlike the
// app's gate (converge/health-gate.ts), tasks are told apart by task template, not by image: a stack update often
// keeps the image and changes the command, environment or health check.

import type { EnginePort, TaskProgress } from '../core/ports/engine.js';
import { FAILED_STATES, isRunning, reportChanges, type GateOptions, type GateResult } from '../converge/health-gate.js';

/** The app gate's options without the image; `since`: failed tasks of the current template created before it are history. */
export type ConvergeOptions = Omit<GateOptions, 'image'>;
/**
 * A service's task that ends with exit code 0 is "complete", not "failed" — also when Swarm stopped it for a
 * failing health check and its process exited on SIGTERM (measured on dockerd 20.10): for a service that should
 * keep running, that is a failure too.
 */
const ENDED = 'complete';

/**
 * Live: as many current tasks running as wanted (Swarm reports a task with a HEALTHCHECK running only once it
 * passed), and no other task running — the old template's tasks are gone, and so are the ones a scale-down stops.
 */
export async function waitUntilConverged(engine: EnginePort, opts: ConvergeOptions): Promise<GateResult> {
  const deadline = Date.now() + opts.deadlineMs;
  const sinceMs = opts.since.getTime() - 2000; // dockerd's clock and ours, as in the app's gate
  const seen = new Map<string, string>();
  for (;;) {
    const tasks = await engine.listTaskProgress(opts.serviceName);
    const fresh = tasks.filter((t) => t.current && Date.parse(t.createdAt) >= sinceMs);
    reportChanges(fresh, seen, opts.onProgress);
    const failed = fresh.find((t) => FAILED_STATES.has(t.state));
    if (failed) return { ok: false, kind: 'health_gate_failed', reason: `a new task ${failed.state}: ${failed.error ?? failed.message}` };
    if (fresh.some((t) => t.state === ENDED)) {
      return { ok: false, kind: 'health_gate_failed', reason: 'a new task ended with exit code 0: its process stopped, or it exited when Swarm stopped it for a failing health check' };
    }
    const service = await engine.inspectService(opts.serviceName);
    if (service === null) return { ok: false, kind: 'health_gate_failed', reason: 'the service disappeared during the deploy' };
    if (service.updateState === 'paused' || service.updateState === 'rollback_paused') {
      return { ok: false, kind: 'health_gate_failed', reason: `Swarm paused the update: ${service.updateMessage ?? 'no reason given'}` };
    }
    const running = tasks.filter((t) => t.current && isRunning(t)).length;
    const others = tasks.filter((t) => t.state === 'running' && !(t.current && isRunning(t))).length;
    if (running >= opts.replicas && others === 0) return { ok: true };
    if (Date.now() >= deadline) {
      const newest = tasks.find((t) => t.current);
      const where = newest ? `newest task is ${newest.state} (${newest.error ?? newest.message})` : 'no task was created';
      return {
        ok: false,
        kind: 'rollout_timeout',
        reason: `not running after ${Math.round(opts.deadlineMs / 1000)} s: ${running}/${opts.replicas} tasks running, ${others} old one(s) still running; ${where}`,
      };
    }
    await new Promise((r) => setTimeout(r, opts.pollMs ?? 500));
  }
}
