// `slipway secrets rm <app> <NAME>`: DELETE /api/apps/:app/secrets/:name.

import { appPath } from '../../client.js';
import { apiCommand } from '../../define.js';

export const secretsRmCommand = apiCommand({
  path: 'secrets rm',
  summary: 'remove an app secret',
  usage: 'usage: slipway secrets rm <app> <NAME>\n\nDeletes the secret. Runs started afterwards no longer get it; a step that reads it fails.\n',
  args: [{ name: 'app' }, { name: 'NAME' }],
  async run({ args: { app, NAME: name }, io }, client) {
    await client.delete(appPath(app, `/secrets/${encodeURIComponent(name)}`));
    io.stdout.write(`removed secret ${name} from ${app}\n`);
    return 0;
  },
});
