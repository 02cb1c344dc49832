// `slipway apps connect|repo|disconnect`: link an app to its repository on GitHub, GitLab or Gitea/Forgejo,
// so the forge's webhooks start its runs (PUT/GET/DELETE /api/apps/:app/repo).

import type { ConnectRepoRequest, RepoLink } from '../../../core/api.js';
import { SlipwayError } from '../../../core/errors.js';
import { appPath } from '../../client.js';
import type { CliIO, Command } from '../../command.js';
import { apiCommand } from '../../define.js';
import { fields } from '../../format.js';
import { readAll, stripOneNewline } from '../secrets/read-value.js';

export interface ConnectOptions {
  /** All of stdin, for --token-stdin (a token never goes on the command line). */
  readonly readStdin: (io: CliIO) => Promise<string>;
}

export function appsConnectCommandWith(options: ConnectOptions): Command {
  return apiCommand({
    path: 'apps connect',
    summary: 'follow a GitHub/GitLab/Gitea repository: its webhooks start runs',
    usage: `usage: slipway apps connect <app> --repo <clone URL> [--token-stdin]

Links the app to its repository on a forge. Slipway checks it can read the repository, then prints
the webhook URL and a new secret to paste into the forge's webhook settings (content type
application/json; events: pushes and pull/merge requests). Connecting again replaces the secret.

Pushes and tags run like \`git push slipway\`: the app's branch deploys, other refs run their pipeline
file. Pull requests run the pipeline file as a pull_request event; they never deploy, and pull requests
from forks get no secrets, no caches and cannot push images.

options:
  --repo <url>     the clone URL (https, http, ssh or git), e.g. https://github.com/acme/web.git
  --token-stdin    read an access token for a private repository from stdin (stored encrypted)
`,
    args: [{ name: 'app' }],
    flags: { repo: { type: 'string', required: true }, 'token-stdin': { type: 'boolean' } },
    async run({ args: { app }, flags, io }, client) {
      const request: ConnectRepoRequest = { repo: flags.repo };
      if (flags['token-stdin']) {
        const token = stripOneNewline(await options.readStdin(io)).trim();
        if (token === '') throw new SlipwayError('invalid_input', 'no token on stdin', { field: 'token', hint: 'pipe it in: slipway apps connect web --repo <url> --token-stdin < token.txt' });
        request.token = token;
      }
      const { repo } = await client.json<{ repo: RepoLink }>('PUT', appPath(app, '/repo'), request);
      io.stdout.write(`connected ${app} to ${repo.repo}\n\nadd a webhook to the repository on the forge:\n\n`);
      io.stdout.write(fields([['payload URL', repo.webhookUrl], ['content type', 'application/json'], ['secret', repo.webhookSecret ?? ''], ['events', 'pushes, pull/merge requests (and tags)']]));
      io.stdout.write('\nthe secret is shown only now; `slipway apps connect` again makes a new one\n');
      return 0;
    },
  });
}

export const appsConnectCommand: Command = appsConnectCommandWith({ readStdin: (_io) => readAll(process.stdin) });

export const appsRepoCommand = apiCommand({
  path: 'apps repo',
  summary: 'show the repository an app follows and its webhook URL',
  usage: 'usage: slipway apps repo <app>\n\nShows the forge repository the app follows and the webhook URL to give the forge.\n',
  args: [{ name: 'app' }],
  async run({ args: { app }, io }, client) {
    const { repo } = await client.get<{ repo: RepoLink }>(appPath(app, '/repo'));
    io.stdout.write(fields([['repo', repo.repo], ['webhook URL', repo.webhookUrl], ['access token', repo.hasToken ? 'set' : 'none'], ['connected', repo.updatedAt]]));
    return 0;
  },
});

export const appsDisconnectCommand = apiCommand({
  path: 'apps disconnect',
  summary: 'stop following the app\'s repository (webhooks are then refused)',
  usage: 'usage: slipway apps disconnect <app>\n\nForgets the repository, its token and webhook secret; deliveries are refused from then on.\n',
  args: [{ name: 'app' }],
  async run({ args: { app }, io }, client) {
    await client.delete(appPath(app, '/repo'));
    io.stdout.write(`${app} no longer follows a repository; remove the webhook from the forge too\n`);
    return 0;
  },
});
