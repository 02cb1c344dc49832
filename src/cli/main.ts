// The `slipway` command: dispatches argv to one command and turns any failure into `error:`/`hint:` and an exit code.

import { asSlipwayError, exitCodeOf } from '../core/errors.js';
import type { CliIO } from './command.js';
import { commands } from './commands/index.js';
import { commandList, dispatch } from './dispatch.js';
import { paint } from './format.js';
import { safeIO } from './safe-output.js';

const LISTING =
  'slipway: push-to-deploy on your own server\n\n' +
  commandList('slipway', commands) +
  '\nServer and token come from SLIPWAY_URL and SLIPWAY_TOKEN, else from the file "slipway login" writes\n' +
  '($XDG_CONFIG_HOME/slipway/cli.json or ~/.config/slipway/cli.json).\n';

/** Runs one CLI invocation; resolves to the exit code (exitCodeOf the error kind on failure). */
export async function main(argv: string[], terminal: CliIO): Promise<number> {
  const io = safeIO(terminal);
  try {
    return await dispatch('slipway', commands, argv, io, LISTING);
  } catch (err) {
    const error = asSlipwayError(err);
    io.stderr.write(`${paint(io, io.stderr, 'red', 'error:')} ${error.message}\n`);
    if (error.hint !== undefined) io.stderr.write(`${paint(io, io.stderr, 'dim', 'hint:')} ${error.hint}\n`);
    if (error.kind === 'internal' && io.env.SLIPWAY_DEBUG !== undefined && error.stack !== undefined) {
      io.stderr.write(`${error.stack}\n`);
    }
    return exitCodeOf(error.kind);
  } finally {
    io.flush();
  }
}
