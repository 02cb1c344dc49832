// What `runs restart` and `runs start` do with the run they queued: follow it (-f) or say how to.

import type { Run } from '../../../core/types.js';
import type { SlipwayClient } from '../../client.js';
import type { CliIO } from '../../command.js';
import { followRun } from '../../follow-run.js';

/** With `follow`, followRun (log live, exit code from the run's outcome); else one line and how to watch it. */
export async function reportStarted(client: SlipwayClient, run: Run, what: string, follow: boolean, io: CliIO): Promise<number> {
  if (follow) return followRun(client, run, io);
  io.stdout.write(`run #${run.id} ${run.status} for ${run.app}: ${what}\n`);
  io.stdout.write(`follow it with "slipway runs logs ${run.id} -f", or see its steps with "slipway runs steps ${run.id}"\n`);
  return 0;
}
