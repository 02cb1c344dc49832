// `slipway apps list`: GET /api/apps as a table.

import type { AppSummary } from '../../../core/api.js';
import { apiCommand } from '../../define.js';
import { table } from '../../format.js';

export const appsListCommand = apiCommand({
  path: 'apps list',
  summary: 'list apps with their domain and live release',
  usage: 'usage: slipway apps list\n\nLists every app: name, URL, live release, replicas and deploy branch.\n',
  args: [],
  async run({ io }, client) {
    const { apps } = await client.get<{ apps: AppSummary[] }>('/api/apps');
    if (apps.length === 0) {
      io.stdout.write('no apps yet; create one with "slipway apps create <name> --domain <host>"\n');
      return 0;
    }
    const rows = apps.map((a) => [
      a.name,
      a.url,
      a.liveRelease === null ? '-' : `#${a.liveRelease}`,
      String(a.replicas),
      a.branch,
    ]);
    io.stdout.write(table(['APP', 'URL', 'RELEASE', 'REPLICAS', 'BRANCH'], rows));
    return 0;
  },
});
