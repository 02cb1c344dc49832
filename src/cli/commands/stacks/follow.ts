// Follows a stack deploy or rollback run (its log live, then its end) and says which release of the stack is live.

import type { StackReleasesResponse } from '../../../core/api.js';
import type { Run } from '../../../core/types.js';
import type { SlipwayClient } from '../../client.js';
import { runPath } from '../../client.js';
import type { CliIO } from '../../command.js';
import { runFailure, waitForRun } from '../../follow-run.js';
import { paint } from '../../format.js';
import { stackPath } from './paths.js';

export async function followStackRun(client: SlipwayClient, started: Run, stack: string, io: CliIO, pollMs = 1000): Promise<number> {
  io.stderr.write(`run #${started.id} ${started.status} for stack ${stack} of ${started.app}; following its log (Ctrl-C stops following, not the run)\n`);
  await client.stream(runPath(started.id, '/logs?follow=1'), io.stdout).catch((err: unknown) => {
    io.stderr.write(`log stream interrupted (${err instanceof Error ? err.message : String(err)}); waiting for run #${started.id} to finish\n`);
  });
  const run = await waitForRun(client, started.id, pollMs);
  if (run.status !== 'succeeded') throw runFailure(run);
  const { releases } = await client.get<StackReleasesResponse>(stackPath(run.app, stack, '/releases'));
  const live = releases.find((r) => r.status === 'live');
  const which = live === undefined ? 'deployed' : `release #${live.number}${live.rollbackOf === null ? '' : ` (rollback to #${live.rollbackOf})`} is live`;
  io.stdout.write(`${paint(io, io.stdout, 'green', 'succeeded')}: stack ${stack} of ${run.app}: ${which}\n`);
  return 0;
}
