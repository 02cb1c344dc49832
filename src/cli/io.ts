// The real process's CliIO: what bin/slipway.js hands to main().

import type { CliIO } from './command.js';

export function processIO(): CliIO {
  // `slipway logs app | head` closes the pipe early; that is a normal end, not a crash.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw err;
    });
  }
  return { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() };
}
