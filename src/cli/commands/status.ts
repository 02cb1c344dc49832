// `slipway status <app>`: GET /api/apps/:app — live release, replicas, tasks and the last run.

import type { AppStatus } from '../../core/api.js';
import { appPath } from '../client.js';
import type { CliIO } from '../command.js';
import { apiCommand } from '../define.js';
import { fields, paint, shortCommit, shortDigest, statusColour, table, when } from '../format.js';

export const statusCommand = apiCommand({
  path: 'status',
  summary: "show an app's live release, replicas and tasks",
  usage: 'usage: slipway status <app>\n\nShows the live release and its image digest, replicas running/desired/healthy,\nthe state of each task, and the last run.\n',
  args: [{ name: 'app' }],
  async run({ args: { app }, io }, client) {
    const status = await client.get<AppStatus>(appPath(app));
    io.stdout.write(render(status, io));
    return 0;
  },
});

function render(status: AppStatus, io: CliIO): string {
  const { release, replicas, lastRun } = status;
  const colour = (text: string): string => paint(io, io.stdout, statusColour(text), text);
  const pairs: [string, string][] = [
    ['app', status.app.name],
    ['url', status.url],
    ['release', release === null ? 'none yet' : `#${release.number} ${colour(release.status)} (commit ${shortCommit(release.commit)}, ${when(release.deployedAt ?? release.createdAt)})`],
    ['image', release === null ? '-' : release.image],
    ['replicas', `${replicas.running}/${replicas.desired} running, ${replicas.healthy} healthy`],
    ['last run', lastRun === null ? 'none yet' : `#${lastRun.id} ${colour(lastRun.status)} (${lastRun.source}, ${when(lastRun.createdAt)})`],
  ];
  if (lastRun?.error != null) pairs.push(['error', `${lastRun.error.kind}: ${lastRun.error.message}`]);
  let text = fields(pairs);
  if (status.tasks.length > 0) {
    const rows = status.tasks.map((t) => [
      t.id.slice(0, 12),
      t.state,
      t.desiredState,
      shortDigest(t.image),
      t.node ?? '-',
      t.error ?? t.message,
    ]);
    text += '\n' + table(['TASK', 'STATE', 'DESIRED', 'IMAGE', 'NODE', 'MESSAGE'], rows);
  }
  return text;
}
