// `slipway deploy [dir] --app A`: uploads the directory as a .tar.gz and follows the run it starts.

import { resolve } from 'node:path';
import type { RunResponse } from '../../core/api.js';
import { appPath } from '../client.js';
import { apiCommand } from '../define.js';
import { followRun } from '../follow-run.js';
import { packDirectory } from '../tarball.js';

export const deployCommand = apiCommand({
  path: 'deploy',
  summary: 'upload a directory and deploy it, following the build live',
  usage: `usage: slipway deploy [dir] --app <name>

Packs <dir> (default: the current directory; .git is left out) and deploys it to the app:
the image is built from its Dockerfile, rolled out health-gated, and the log is shown live.
Exits 0 once the new release is live; otherwise with the code of the failure
(6 build failed, 7 never became healthy or timed out and was rolled back, …).

options:
  --app <name>   the app to deploy to (required)
`,
  args: [{ name: 'dir', optional: true }],
  flags: { app: { type: 'string', required: true } },
  async run({ args, flags: { app }, io }, client) {
    const dir = resolve(io.cwd, args.dir ?? '.');
    const archive = await packDirectory(dir);
    io.stderr.write(`uploading ${dir} (${kilobytes(archive.length)}) to ${app}\n`);
    const { run } = await client.upload<RunResponse>(appPath(app, '/deploy'), archive, 'application/gzip');
    return followRun(client, run, io);
  },
});

function kilobytes(bytes: number): string {
  return bytes < 1024 * 1024 ? `${Math.ceil(bytes / 1024)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
