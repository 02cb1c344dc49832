// A benchmark's lifecycle: time limit, SIGINT/SIGTERM, stop after the current step, cleanup, summary, exit code.

export const log = (line: string) => console.log(`bench: ${line}`);

/** Set on interrupt or time limit: no new step starts (so nothing is created after cleanup began). */
let stopReason: string | null = null;

/** Called before each step that creates something: throws once the benchmark has been told to stop. */
export function checkpoint(): void {
  if (stopReason !== null) throw new Error(`stopped before the next step: ${stopReason}`);
}

/** `promise`, or a rejection naming `what` once `limitMs` have passed. */
export function within<T>(limitMs: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${limitMs / 1000} s`)), limitMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** The parts of a benchmark's figures the lifecycle itself reads. */
export interface BaseFigures {
  /** Printed as "note: …" at the end of the summary. */
  readonly notes: string[];
  /** What cleanup found, printed as "cleanup: …" at the end of the summary. */
  readonly cleanup: string[];
}

/** A summary: rules `width` characters wide around the title, the figures and the explanations; empty lines are left out. */
export interface Summary {
  readonly width: number;
  readonly title: readonly string[];
  readonly figures: readonly string[];
  readonly explanations: readonly string[];
}

export interface Benchmark<F extends BaseFigures> {
  /** Hard stop: after this long no new step starts, and the run ends with exit code 1. */
  readonly hardLimitMs: number;
  /** After an interrupt or the time limit, how long the current step may take before cleanup starts regardless. */
  readonly abortGraceMs: number;
  /** The measured steps; each calls checkpoint() (directly or through a helper) before it creates anything. */
  run(fig: F): Promise<void>;
  /** Removes everything the run created and records how that went in fig.cleanup; called once, however the run ends. */
  cleanup(fig: F): Promise<void>;
  summary(fig: F): Summary;
  /** The Slipway instance, once started: its output is shown after a failure (not after a stop). */
  slipway(): { output(): string } | null;
  /** Called after cleanup when the run ended by itself (not when a hanging step was abandoned). */
  afterCleanup?(fig: F): void;
}

function printSummary<F extends BaseFigures>(fig: F, bench: Benchmark<F>): void {
  const s = bench.summary(fig);
  const line = '─'.repeat(s.width);
  const out = [
    line,
    ...s.title,
    line,
    ...s.figures,
    line,
    ...s.explanations,
    ...fig.notes.map((n) => `note: ${n}`),
    ...fig.cleanup.map((c) => `cleanup: ${c}`),
    line,
  ];
  console.log(out.filter((l) => l !== '').join('\n'));
}

/** Runs the benchmark to the end, cleans up, prints the summary and exits the process with its exit code. */
export async function runLifecycle<F extends BaseFigures>(fig: F, bench: Benchmark<F>): Promise<never> {
  let cleaning: Promise<void> | null = null;
  const cleanup = () => (cleaning ??= bench.cleanup(fig));
  let code = 0;
  const stop = (reason: string, exitCode: number) => {
    if (stopReason !== null) return;
    stopReason = reason;
    code = exitCode;
    console.error(`\nbench: ${reason}; stopping after the current step, then cleaning up`);
    // A step that hangs must not keep the benchmark's objects alive: clean up anyway after a grace period.
    setTimeout(() => {
      console.error(`bench: the current step did not end within ${bench.abortGraceMs / 1000} s; cleaning up now`);
      void cleanup().finally(() => {
        printSummary(fig, bench);
        process.exit(exitCode);
      });
    }, bench.abortGraceMs).unref();
  };
  const limit = setTimeout(() => stop(`over the ${bench.hardLimitMs / 60_000}-minute limit`, 1), bench.hardLimitMs);
  process.once('SIGINT', () => stop('interrupted', 130));
  process.once('SIGTERM', () => stop('terminated', 143));
  try {
    await bench.run(fig);
  } catch (err) {
    code ||= 1;
    console.error(`bench: failed: ${(err as Error).stack ?? String(err)}`);
    const slipway = bench.slipway();
    if (slipway && stopReason === null) console.error(`bench: Slipway's output (last 3000 chars):\n${slipway.output().slice(-3000)}`);
  } finally {
    clearTimeout(limit);
    log('cleaning up…');
    await cleanup();
  }
  bench.afterCleanup?.(fig);
  printSummary(fig, bench);
  // Exit explicitly: a step abandoned after an interrupt may still hold handles open.
  process.exit(code);
}
