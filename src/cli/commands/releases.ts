// `slipway releases <app>`: GET /api/apps/:app/releases as a table, newest first.

import type { ReleasesResponse } from '../../core/api.js';
import { appPath } from '../client.js';
import { apiCommand } from '../define.js';
import { paint, shortCommit, shortDigest, statusColour, table, when } from '../format.js';

export const releasesCommand = apiCommand({
  path: 'releases',
  summary: "list an app's releases (what rollback can put back)",
  usage: 'usage: slipway releases <app>\n\nLists the app\'s releases, newest first: number, status, commit, image digest, created.\nPut one back with "slipway rollback <app> <number>".\n',
  args: [{ name: 'app' }],
  async run({ args: { app }, io }, client) {
    const { releases } = await client.get<ReleasesResponse>(appPath(app, '/releases'));
    if (releases.length === 0) {
      io.stdout.write(`${app} has no releases yet\n`);
      return 0;
    }
    const rows = releases.map((r) => [
      `#${r.number}`,
      paint(io, io.stdout, statusColour(r.status), r.status) + (r.rollbackOf === null ? '' : ` (rollback to #${r.rollbackOf})`),
      shortCommit(r.commit),
      shortDigest(r.image),
      when(r.createdAt),
    ]);
    io.stdout.write(table(['RELEASE', 'STATUS', 'COMMIT', 'IMAGE', 'CREATED'], rows));
    return 0;
  },
});
