// Pure text of the registry's files: config.yml for the CNCF distribution registry and bcrypt htpasswd lines.

import bcrypt from 'bcryptjs';
import { SlipwayError } from '../../core/errors.js';
import type { Secret } from '../../core/secret.js';

/** Where the files live inside the registry container (the official image reads config.yml from here). */
export const CONTAINER_CONFIG_PATH = '/etc/docker/registry/config.yml';
export const CONTAINER_HTPASSWD_PATH = '/etc/docker/registry/htpasswd';
export const CONTAINER_DATA_PATH = '/var/lib/registry';
export const CONTAINER_PORT = 5000;

export interface RegistryConfigOptions {
  /** Shown in the WWW-Authenticate challenge; no effect on security. */
  readonly realm?: string;
}

/**
 * config.yml for distribution 2.x. `delete.enabled` lets retention delete manifests (space only comes back
 * after garbage-collect); the storage health check makes /v2/ answer 503 when the disk cannot be written.
 */
export function registryConfigYaml(options: RegistryConfigOptions = {}): string {
  const realm = options.realm ?? 'slipway-registry';
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(realm)) {
    throw new SlipwayError('invalid_input', 'invalid registry realm', { field: 'realm', hint: 'use letters, digits, ".", "_" and "-"' });
  }
  return [
    'version: 0.1',
    'log:',
    '  level: info',
    '  fields:',
    '    service: registry',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${CONTAINER_DATA_PATH}`,
    '  delete:',
    '    enabled: true',
    '  maintenance:',
    '    uploadpurging:',
    '      enabled: true',
    '      age: 168h',
    '      interval: 24h',
    '      dryrun: false',
    'auth:',
    '  htpasswd:',
    `    realm: ${realm}`,
    `    path: ${CONTAINER_HTPASSWD_PATH}`,
    'http:',
    `  addr: :${CONTAINER_PORT}`,
    '  headers:',
    '    X-Content-Type-Options: [nosniff]',
    'health:',
    '  storagedriver:',
    '    enabled: true',
    '    interval: 10s',
    '    threshold: 3',
    '',
  ].join('\n');
}

const USERNAME = /^[A-Za-z0-9._-]{1,64}$/;
const BCRYPT_COST = 10;

/** One `user:$2b$…` line. bcrypt is the only hash format the registry's htpasswd reader accepts. */
export async function htpasswdLine(username: string, password: Secret): Promise<string> {
  if (!USERNAME.test(username)) {
    throw new SlipwayError('invalid_input', 'invalid registry user name', { field: 'username', hint: 'use letters, digits, ".", "_" and "-"' });
  }
  const hash = await bcrypt.hash(password.reveal(), BCRYPT_COST);
  return `${username}:${hash}\n`;
}

/** True when the htpasswd text has exactly one line, for this user, whose hash matches this password. */
export async function htpasswdMatches(text: string, username: string, password: Secret): Promise<boolean> {
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  if (lines.length !== 1) return false;
  const line = lines[0] ?? '';
  const colon = line.indexOf(':');
  if (colon < 0 || line.slice(0, colon) !== username) return false;
  const hash = line.slice(colon + 1).trim();
  if (!/^\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}$/.test(hash)) return false;
  return bcrypt.compare(password.reveal(), hash);
}
