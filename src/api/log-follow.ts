// Streams a run's log: what is stored, then live chunks until the run finishes (for the CLI, browser and git).

import type { EventBus } from '../core/events.js';
import type { Store } from '../core/ports/store.js';
import type { Run } from '../core/types.js';

export interface FollowOptions {
  readonly follow: boolean;
  /** Text written after the log once the run has finished (e.g. the result line for git). */
  readonly footer?: (run: Run) => string;
}

export function followRunLog(store: Store, bus: EventBus, runId: number, opts: FollowOptions): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const unsubscribe: Array<() => void> = [];
  let closed = false;
  return new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (text: string) => {
        if (!closed && text) controller.enqueue(encoder.encode(text));
      };
      // end() may be reached twice (run.finished racing the status check); only the first one closes.
      let ending: Promise<void> | null = null;
      const end = () =>
        (ending ??= (async () => {
          if (closed) return;
          const run = await store.getRun(runId);
          if (closed) return;
          if (run && opts.footer) send(opts.footer(run));
          closed = true;
          unsubscribe.forEach((off) => off());
          controller.close();
        })());
      // Subscribe before reading the stored log, then use offsets to skip what the stored part already had.
      let stored: number | null = null;
      const early: Array<{ text: string; offset: number }> = [];
      let finishedEarly = false;
      const write = (e: { text: string; offset: number }, have: number) => {
        if (e.offset + e.text.length <= have) return have;
        send(e.text.slice(Math.max(0, have - e.offset)));
        return e.offset + e.text.length;
      };
      if (opts.follow) {
        unsubscribe.push(bus.on('run.log', (e) => {
          if (e.runId !== runId) return;
          if (stored === null) early.push(e);
          else stored = write(e, stored);
        }));
        unsubscribe.push(bus.on('run.finished', (e) => {
          if (e.runId !== runId) return;
          if (stored === null) finishedEarly = true;
          else void end();
        }));
      }
      const text = await store.readRunLog(runId);
      send(text);
      let have = text.length;
      for (const e of early) have = write(e, have);
      stored = have;
      const run = await store.getRun(runId);
      const finished = run === null || run.status === 'succeeded' || run.status === 'failed' || run.status === 'cancelled';
      if (!opts.follow || finished || finishedEarly) await end();
    },
    cancel() {
      closed = true;
      unsubscribe.forEach((off) => off());
    },
  });
}
