// Makes sure a Docker engine answers: installs it from the distribution's packages and starts it if needed.

import { execFile, spawn } from 'node:child_process';
import { openSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import type Dockerode from 'dockerode';
import { SlipwayError } from '../core/errors.js';

const run = promisify(execFile);

export async function ensureDockerDaemon(docker: Dockerode, opts: { logFile: string; say: (line: string) => void }): Promise<void> {
  if (await answers(docker)) return;
  if (!(await onPath('dockerd'))) {
    opts.say('installing the Docker engine (apt-get install docker.io)');
    await run('apt-get', ['update', '-qq'], { maxBuffer: 64 * 1024 * 1024 }).catch(() => undefined);
    await run('apt-get', ['install', '-y', '-qq', 'docker.io'], {
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      maxBuffer: 64 * 1024 * 1024,
    }).catch((err: unknown) => {
      throw new SlipwayError('dependency', `could not install the Docker engine: ${(err as Error).message}`, {
        hint: 'install Docker yourself (https://docs.docker.com/engine/install/) and run `slipway up` again',
      });
    });
  }
  // Without systemd (containers, minimal VMs) nobody else starts dockerd: run it detached, logging to a file.
  opts.say(`starting dockerd (log: ${opts.logFile})`);
  await mkdir(dirname(opts.logFile), { recursive: true });
  const log = openSync(opts.logFile, 'a');
  spawn('dockerd', [], { detached: true, stdio: ['ignore', log, log] }).unref();
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (await answers(docker)) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new SlipwayError('dependency', 'dockerd did not answer within 60 s', { hint: `see ${opts.logFile}` });
}

async function answers(docker: Dockerode): Promise<boolean> {
  return docker.ping().then(() => true, () => false);
}

async function onPath(command: string): Promise<boolean> {
  return run('which', [command]).then(() => true, () => false);
}
