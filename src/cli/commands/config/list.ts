// `slipway config list <app>`: KEY=value per line; a secret shows as KEY=•••• (secret), its value never leaves the server.

import type { ConfigItem, ConfigResponse } from '../../../core/api-config.js';
import { appPath } from '../../client.js';
import { apiCommand } from '../../define.js';

export function configLines(items: readonly ConfigItem[]): string {
  return items.map((i) => (i.secret || i.value === null ? `${i.name}=•••• (secret)\n` : `${i.name}=${i.value}\n`)).join('');
}

export const configListCommand = apiCommand({
  path: 'config list',
  summary: "list an app's environment variables (secret values never shown)",
  usage: 'usage: slipway config list <app>\n\nPrints KEY=VALUE per line; secret values are never shown (KEY=•••• (secret)).\n',
  args: [{ name: 'app' }],
  async run({ args: { app }, io }, client) {
    const { config } = await client.get<ConfigResponse>(appPath(app, '/config'));
    if (config.length === 0) {
      io.stdout.write(`${app} has no config; set some with "slipway config set ${app} KEY=VALUE"\n`);
      return 0;
    }
    io.stdout.write(configLines(config));
    return 0;
  },
});
