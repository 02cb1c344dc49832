// This machine's Docker engine for `slipway exec`: the socket from DOCKER_HOST (unix only) or the default one.

import Dockerode from 'dockerode';
import { SlipwayError } from '../../core/errors.js';
import { DockerEngine, messageOf } from '../../adapters/docker/docker-engine.js';
import { DockerStepBackend } from '../../adapters/docker/step-backend.js';
import type { ExecEngine } from './exec-run.js';

export const DEFAULT_SOCKET = '/var/run/docker.sock';

/** The socket path DOCKER_HOST names (`unix:///path`), else the default; other schemes are refused. */
export function dockerSocket(env: Readonly<Record<string, string | undefined>>): string {
  const host = env.DOCKER_HOST;
  if (host === undefined || host === '') return DEFAULT_SOCKET;
  if (host.startsWith('unix://') && host.length > 'unix://'.length) return host.slice('unix://'.length);
  throw new SlipwayError('invalid_input', `DOCKER_HOST=${host} is not a unix socket`, {
    field: 'DOCKER_HOST',
    hint: 'slipway exec talks to the Docker engine on this machine: set DOCKER_HOST=unix:///path/to/docker.sock, or unset it',
  });
}

/** A step backend and an image builder on the engine, once it answered a ping. */
export async function connectDocker(env: Readonly<Record<string, string | undefined>>): Promise<ExecEngine> {
  const socketPath = dockerSocket(env);
  const docker = new Dockerode({ socketPath });
  try {
    await docker.ping();
  } catch (err) {
    throw new SlipwayError('dependency', `cannot reach the Docker engine at ${socketPath}: ${messageOf(err)}`, {
      hint: 'is Docker running, and may you use its socket (e.g. are you in the docker group)?',
      cause: err,
    });
  }
  const backend = new DockerStepBackend(docker);
  return { backend, builder: new DockerEngine(docker), exporter: backend.workspaceExport };
}
