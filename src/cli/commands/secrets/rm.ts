// `slipway secrets rm <app> <NAME>`: DELETE /api/apps/:app/secrets/:name.

import { appPath, connect } from '../../client.js';
import type { Command } from '../../command.js';
import { noMorePositionals, parseFlags, positional } from '../../flags.js';

const NAME = 'secrets rm';

export const secretsRmCommand: Command = {
  name: 'rm',
  summary: 'remove an app secret',
  usage: 'usage: slipway secrets rm <app> <NAME>\n\nDeletes the secret. Runs started afterwards no longer get it; a step that reads it fails.\n',
  async run(args, io) {
    const { positionals } = parseFlags(NAME, args, {});
    noMorePositionals(NAME, positionals, 2);
    const app = positional(NAME, positionals, 0, 'app');
    const name = positional(NAME, positionals, 1, 'NAME');
    const client = await connect(io);
    await client.delete(appPath(app, `/secrets/${encodeURIComponent(name)}`));
    io.stdout.write(`removed secret ${name} from ${app}\n`);
    return 0;
  },
};
