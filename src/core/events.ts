// The in-process event bus: every stage publishes typed events; logs, audit and notifications subscribe.

import { EventEmitter } from 'node:events';
import type { StepStatus } from './ports/store.js';
import type { RunError, RunStatus } from './types.js';

export interface SlipwayEvents {
  'run.queued': { runId: number; app: string };
  'run.started': { runId: number; app: string };
  /** A chunk of a run's log (already masked), in order; offset = length of the log before this chunk. */
  'run.log': { runId: number; app: string; text: string; offset: number };
  'run.finished': { runId: number; app: string; status: RunStatus; error: RunError | null; url?: string };
  /** A chunk of one step's output (masked), published after it was stored; offset = that step's log length before it. */
  'step.log': { runId: number; pipeline: string; step: string; text: string; offset: number };
  /** A step's state was stored (running, or a final state); published after the step's last output chunk. */
  'step.state': { runId: number; pipeline: string; step: string; status: StepStatus; exitCode: number | null; note: string | null };
  'release.deploying': { app: string; release: number; image: string };
  'release.deployed': { app: string; release: number; image: string };
  'rollout.failed': { app: string; release: number; reason: string };
  'release.rolled_back': { app: string; from: number | null; to: number; reason: string };
  'app.created': { app: string; domain: string };
  'app.deleted': { app: string };
  'edge.applied': { routes: number };
}

export type EventName = keyof SlipwayEvents;

export class EventBus {
  readonly #emitter = new EventEmitter();

  constructor() {
    // Live log streams subscribe per HTTP client; many followers are normal.
    this.#emitter.setMaxListeners(0);
  }

  emit<E extends EventName>(name: E, payload: SlipwayEvents[E]): void {
    this.#emitter.emit(name, payload);
  }

  /** Subscribes; returns the function that unsubscribes. */
  on<E extends EventName>(name: E, listener: (payload: SlipwayEvents[E]) => void): () => void {
    this.#emitter.on(name, listener);
    return () => this.#emitter.off(name, listener);
  }
}
