// Follows a run to its end: streams its log live, then reports the live release or throws the run's error.

import type { AppStatus, RunResponse } from '../core/api.js';
import { isErrorKind, SlipwayError } from '../core/errors.js';
import { isRunFinished, type Run } from '../core/types.js';
import { appPath, runPath, type SlipwayClient } from './client.js';
import type { CliIO } from './command.js';
import { paint } from './format.js';


/**
 * Prints the run's build/deploy log as it is written, waits for the run to finish, and resolves to 0
 * when it succeeded. A failed or cancelled run is thrown as a SlipwayError of the run's error kind,
 * so the exit code says why (build_failed, health_gate_failed, …).
 */
export async function followRun(client: SlipwayClient, started: Run, io: CliIO, pollMs = 1000): Promise<number> {
  io.stderr.write(`run #${started.id} ${started.status} for ${started.app}; following its log (Ctrl-C stops following, not the run)\n`);
  try {
    await client.stream(runPath(started.id, '/logs?follow=1'), io.stdout);
  } catch (err) {
    // A broken log stream does not end the run: say so and wait for its result instead.
    if (!(err instanceof SlipwayError) || err.kind !== 'dependency') throw err;
    io.stderr.write(`log stream interrupted (${err.message}); waiting for run #${started.id} to finish\n`);
  }
  const run = await waitForRun(client, started.id, pollMs);
  if (run.status !== 'succeeded') throw runFailure(run);
  const status = await client.get<AppStatus>(appPath(run.app));
  const release = status.release;
  const which =
    release === null
      ? 'deployed'
      : `release #${release.number}${release.rollbackOf === null ? '' : ` (rollback to #${release.rollbackOf})`} is live`;
  io.stdout.write(`${paint(io, io.stdout, 'green', 'succeeded')}: ${run.app} ${which} at ${status.url}\n`);
  return 0;
}

/** GET /api/runs/:id until the run has finished. */
export async function waitForRun(client: SlipwayClient, id: number, pollMs: number): Promise<Run> {
  for (;;) {
    const { run } = await client.get<RunResponse>(runPath(id));
    if (isRunFinished(run.status)) return run;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

/** The error a finished, unsuccessful run ends the command with. */
export function runFailure(run: Run): SlipwayError {
  const kind = run.error !== null && isErrorKind(run.error.kind) ? run.error.kind : run.status === 'cancelled' ? 'cancelled' : 'internal';
  const reason = run.error?.message ?? (run.status === 'cancelled' ? 'cancelled' : 'no reason recorded');
  const hint = run.error?.hint ?? `see the log with "slipway logs ${run.app} --build"`;
  return new SlipwayError(kind, `run #${run.id} ${run.status}: ${reason}`, { hint });
}
