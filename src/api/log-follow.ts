// Streams a run's log, or one step's log: what is stored, then live chunks until the run (or the step) ends
// (for the CLI, browser and git).

import type { EventBus } from '../core/events.js';
import type { StepStatus, Store } from '../core/ports/store.js';
import { isRunFinished, type Run } from '../core/types.js';

export interface FollowOptions {
  readonly follow: boolean;
  /** Text written after the log once the run has finished (e.g. the result line for git). */
  readonly footer?: (run: Run) => string;
}

/** A log that is stored in order and published chunk by chunk with its offset, after the chunk was stored. */
interface FollowedLog {
  read(): Promise<string>;
  onChunk(listener: (chunk: { text: string; offset: number }) => void): () => void;
  /** The end event; it comes after the last chunk was published. */
  onEnd(listener: () => void): () => void;
  ended(): Promise<boolean>;
  footer(): Promise<string>;
}

/** Step states after which a step prints nothing more. */
const FINISHED_STEP: ReadonlySet<StepStatus> = new Set(['succeeded', 'failed', 'skipped', 'cancelled']);

export function followRunLog(store: Store, bus: EventBus, runId: number, opts: FollowOptions): ReadableStream<Uint8Array> {
  return followLog(opts.follow, {
    read: () => store.readRunLog(runId),
    onChunk: (listener) => bus.on('run.log', (e) => e.runId === runId && listener(e)),
    onEnd: (listener) => bus.on('run.finished', (e) => e.runId === runId && listener()),
    ended: async () => {
      const run = await store.getRun(runId);
      return run === null || isRunFinished(run.status);
    },
    footer: async () => {
      const run = await store.getRun(runId);
      return run && opts.footer ? opts.footer(run) : '';
    },
  });
}

/** One step's output, live: it ends when the step reaches a final state (or the run ends without running it). */
export function followStepLog(store: Store, bus: EventBus, runId: number, pipeline: string, step: string, follow: boolean): ReadableStream<Uint8Array> {
  const ours = (e: { runId: number; pipeline: string; step: string }) => e.runId === runId && e.pipeline === pipeline && e.step === step;
  return followLog(follow, {
    read: () => store.readStepLog(runId, pipeline, step),
    onChunk: (listener) => bus.on('step.log', (e) => ours(e) && listener(e)),
    onEnd: (listener) => {
      const offState = bus.on('step.state', (e) => ours(e) && FINISHED_STEP.has(e.status) && listener());
      const offRun = bus.on('run.finished', (e) => e.runId === runId && listener());
      return () => {
        offState();
        offRun();
      };
    },
    ended: async () => {
      const run = await store.getRun(runId);
      if (run === null || isRunFinished(run.status)) return true;
      const found = (await store.listRunSteps(runId)).find((s) => s.pipeline === pipeline && s.name === step);
      return found === undefined || FINISHED_STEP.has(found.status);
    },
    footer: async () => '',
  });
}

function followLog(follow: boolean, log: FollowedLog): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const unsubscribe: Array<() => void> = [];
  let closed = false;
  return new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (text: string) => {
        if (!closed && text) controller.enqueue(encoder.encode(text));
      };
      // end() may be reached twice (the end event racing the status check); only the first one closes.
      let ending: Promise<void> | null = null;
      const end = () =>
        (ending ??= (async () => {
          if (closed) return;
          const footer = await log.footer();
          if (closed) return;
          send(footer);
          closed = true;
          unsubscribe.forEach((off) => off());
          controller.close();
        })());
      // Subscribe before reading the stored log, then use offsets to skip what the stored part already had.
      let stored: number | null = null;
      const early: Array<{ text: string; offset: number }> = [];
      let endedEarly = false;
      const write = (e: { text: string; offset: number }, have: number) => {
        if (e.offset + e.text.length <= have) return have;
        send(e.text.slice(Math.max(0, have - e.offset)));
        return e.offset + e.text.length;
      };
      if (follow) {
        unsubscribe.push(log.onChunk((e) => {
          if (stored === null) early.push(e);
          else stored = write(e, stored);
        }));
        unsubscribe.push(log.onEnd(() => {
          if (stored === null) endedEarly = true;
          else void end();
        }));
      }
      const text = await log.read();
      send(text);
      let have = text.length;
      for (const e of early) have = write(e, have);
      stored = have;
      if (!follow || endedEarly || (await log.ended())) await end();
    },
    cancel() {
      closed = true;
      unsubscribe.forEach((off) => off());
    },
  });
}
