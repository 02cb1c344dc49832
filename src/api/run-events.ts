// Server-sent events of one run: the state of every step, then each step state change and output chunk as it
// happens, then the run's end. For dashboards and tools that show steps live; the text logs stay the simple path.

import type { EventBus } from '../core/events.js';
import type { RunStep, Store } from '../core/ports/store.js';
import { isRunFinished } from '../core/types.js';

/** How often an idle stream sends an SSE comment, so proxies and load balancers keep it open. */
const KEEPALIVE_MS = 15_000;

export interface StepEvent {
  readonly pipeline: string;
  readonly step: string;
  readonly status: RunStep['status'];
  readonly exitCode: number | null;
  /** Why it was skipped or failed, when known. */
  readonly note: string | null;
}

/**
 * Events: `step` (StepEvent; first one per step as stored when the client connected), `log` ({pipeline, step,
 * offset, text}: output from the moment of connecting; offset is where the chunk starts in the step's stored log, so a
 * client can read that first and join without a gap), `end` ({status, error}), after which the stream closes.
 */
export function runEventStream(store: Store, bus: EventBus, runId: number): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const unsubscribe: Array<() => void> = [];
  let timer: NodeJS.Timeout | null = null;
  let closed = false;
  const stop = () => {
    closed = true;
    if (timer) clearInterval(timer);
    unsubscribe.forEach((off) => off());
  };
  return new ReadableStream<Uint8Array>({
    async start(controller) {
      // Data is JSON, which never holds a raw newline, so one `data:` line carries it whole.
      const send = (event: string, data: unknown) => {
        if (!closed) controller.enqueue(encoder.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`));
      };
      const end = async () => {
        if (closed) return;
        const run = await store.getRun(runId);
        send('end', { status: run?.status ?? 'unknown', error: run?.error ?? null });
        stop();
        controller.close();
      };
      // Subscribed before the snapshot is read: a change in between is sent twice at worst, never lost.
      const pending: Array<() => void> = [];
      let live = false;
      const deliver = (fn: () => void) => (live ? fn() : pending.push(fn));
      unsubscribe.push(bus.on('step.state', (e) => {
        if (e.runId === runId) deliver(() => send('step', { pipeline: e.pipeline, step: e.step, status: e.status, exitCode: e.exitCode, note: e.note } satisfies StepEvent));
      }));
      unsubscribe.push(bus.on('step.log', (e) => {
        if (e.runId === runId) deliver(() => send('log', { pipeline: e.pipeline, step: e.step, offset: e.offset, text: e.text }));
      }));
      unsubscribe.push(bus.on('run.finished', (e) => {
        if (e.runId === runId) deliver(() => void end());
      }));
      for (const s of await store.listRunSteps(runId)) {
        send('step', { pipeline: s.pipeline, step: s.name, status: s.status, exitCode: s.exitCode, note: s.skipReason ?? s.error } satisfies StepEvent);
      }
      live = true;
      pending.splice(0).forEach((fn) => fn());
      const run = await store.getRun(runId);
      if (run === null || isRunFinished(run.status)) return end();
      timer = setInterval(() => {
        if (!closed) controller.enqueue(encoder.encode(': keep-alive\n\n'));
      }, KEEPALIVE_MS);
    },
    cancel: stop,
  });
}
