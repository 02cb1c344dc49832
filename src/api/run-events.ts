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

/** Stored output is replayed in pieces of this many characters, so no single event is megabytes long. */
const REPLAY_PIECE = 64 * 1024;

export interface RunEventOptions {
  /** Send each step's stored output first (as `log` events from offset 0), then join the live output without a gap. */
  readonly replay?: boolean;
}

/**
 * Events: `step` (StepEvent; first one per step as stored when the client connected), `log` ({pipeline, step,
 * offset, text}: output from the moment of connecting, or from the start with `replay`; offset is where the chunk
 * starts in the step's stored log, so a client can also read that first and join without a gap), `end` ({status,
 * error}), after which the stream closes.
 */
export function runEventStream(store: Store, bus: EventBus, runId: number, options: RunEventOptions = {}): ReadableStream<Uint8Array> {
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
      // How much of each step's log the client has (replay only): a live chunk that the replay already covered, wholly
      // or in part, is cut to what is new. Chunks are announced only once stored, so the replay holds every chunk
      // whose event came before it was read, and offsets say which.
      const sent = new Map<string, number>();
      const sendLog = (pipeline: string, step: string, offset: number, text: string) => {
        const key = `${pipeline}\u0000${step}`;
        const have = sent.get(key) ?? 0;
        const fresh = offset >= have ? text : text.slice(have - offset);
        if (fresh === '') return;
        const from = Math.max(offset, have);
        if (sent.has(key)) sent.set(key, from + fresh.length);
        send('log', { pipeline, step, offset: from, text: fresh });
      };
      unsubscribe.push(bus.on('step.log', (e) => {
        if (e.runId === runId) deliver(() => sendLog(e.pipeline, e.step, e.offset, e.text));
      }));
      unsubscribe.push(bus.on('run.finished', (e) => {
        if (e.runId === runId) deliver(() => void end());
      }));
      const steps = await store.listRunSteps(runId);
      for (const s of steps) {
        send('step', { pipeline: s.pipeline, step: s.name, status: s.status, exitCode: s.exitCode, note: s.skipReason ?? s.error } satisfies StepEvent);
      }
      if (options.replay) {
        for (const s of steps) {
          const stored = await store.readStepLog(runId, s.pipeline, s.name);
          sent.set(`${s.pipeline}\u0000${s.name}`, 0);
          for (let at = 0; at < stored.length;) {
            let end = Math.min(at + REPLAY_PIECE, stored.length);
            // Never split a surrogate pair between two events.
            if (end < stored.length && /[\uD800-\uDBFF]/.test(stored[end - 1]!)) end--;
            sendLog(s.pipeline, s.name, at, stored.slice(at, end));
            at = end;
          }
        }
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
