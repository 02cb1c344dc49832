// Pure: the registry container's create options and the fingerprint that says when it must be recreated.

import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { ContainerCreateOptions } from 'dockerode';
import { CONTAINER_CONFIG_PATH, CONTAINER_DATA_PATH, CONTAINER_HTPASSWD_PATH, CONTAINER_PORT } from './config.js';

export const DEFAULT_REGISTRY_IMAGE = 'registry:2';
export const FINGERPRINT_LABEL = 'io.slipway.registry.fingerprint';
export const ROLE_LABEL = 'io.slipway.role';

export interface RegistryContainerInput {
  readonly containerName: string;
  readonly image: string;
  readonly hostPort: number;
  /** Absolute folder holding config.yml, htpasswd and data/. */
  readonly dir: string;
  readonly configText: string;
  readonly htpasswdText: string;
}

/**
 * Everything that the running container depends on, hashed. The htpasswd is read once at start, so a new
 * htpasswd (new password) changes the fingerprint and the container is recreated.
 */
export function registryFingerprint(input: RegistryContainerInput): string {
  const parts = [input.image, String(input.hostPort), input.dir, input.configText, input.htpasswdText];
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

export function registryContainerSpec(input: RegistryContainerInput): ContainerCreateOptions {
  const port = `${CONTAINER_PORT}/tcp`;
  return {
    name: input.containerName,
    Image: input.image,
    // The official registry:2 image has a shell entrypoint; set both so any image with /bin/registry behaves the same.
    Entrypoint: ['registry'],
    Cmd: ['serve', CONTAINER_CONFIG_PATH],
    ExposedPorts: { [port]: {} },
    Labels: { [ROLE_LABEL]: 'registry', [FINGERPRINT_LABEL]: registryFingerprint(input) },
    HostConfig: {
      // Loopback only: the registry speaks plain HTTP and must not face the world without TLS.
      PortBindings: { [port]: [{ HostIp: '127.0.0.1', HostPort: String(input.hostPort) }] },
      RestartPolicy: { Name: 'unless-stopped' },
      Mounts: [
        { Type: 'bind', Source: join(input.dir, 'config.yml'), Target: CONTAINER_CONFIG_PATH, ReadOnly: true },
        { Type: 'bind', Source: join(input.dir, 'htpasswd'), Target: CONTAINER_HTPASSWD_PATH, ReadOnly: true },
        { Type: 'bind', Source: join(input.dir, 'data'), Target: CONTAINER_DATA_PATH, ReadOnly: false },
      ],
    },
  };
}
