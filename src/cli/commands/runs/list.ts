// `slipway runs list <app>` (or `slipway runs <app>`): GET /api/apps/:app/runs as a table, newest first.

import type { RunsResponse } from '../../../core/api.js';
import type { Run } from '../../../core/types.js';
import { appPath } from '../../client.js';
import { apiCommand } from '../../define.js';
import { paint, shortCommit, statusColour, table, when } from '../../format.js';

export const runsListCommand = apiCommand({
  path: 'runs list',
  summary: "list an app's runs (pushes, uploads, rollbacks, manual runs)",
  usage: `usage: slipway runs list <app>
       slipway runs <app>

Lists the app's runs, newest first. See one's log with "slipway runs logs <id>"
and its pipeline steps with "slipway runs steps <id>".
`,
  args: [{ name: 'app' }],
  async run({ args: { app }, io }, client) {
    const { runs } = await client.get<RunsResponse>(appPath(app, '/runs'));
    if (runs.length === 0) {
      io.stdout.write(`${app} has no runs yet\n`);
      return 0;
    }
    const rows = runs.map((r) => [
      `#${r.id}`,
      paint(io, io.stdout, statusColour(r.status), r.status),
      source(r),
      shortCommit(r.commit),
      when(r.createdAt),
      r.error === null ? '' : `${r.error.kind}: ${r.error.message}`,
    ]);
    io.stdout.write(table(['RUN', 'STATUS', 'SOURCE', 'COMMIT', 'CREATED', 'ERROR'], rows));
    return 0;
  },
});

/** What started the run, in the words the user used: `git main`, `upload`, `rollback to #3`. */
function source(run: Run): string {
  if (run.source === 'rollback') return run.targetRelease === null ? 'rollback' : `rollback to #${run.targetRelease}`;
  return run.ref === null ? run.source : `${run.source} ${run.ref}`;
}
