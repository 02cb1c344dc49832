// The managed registry's one user: generated once, kept in <dir>/credentials.json (mode 0600), loaded afterwards.

import { randomBytes } from 'node:crypto';
import { chmod, link, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SlipwayError } from '../../core/errors.js';
import { Secret } from '../../core/secret.js';

export const CREDENTIALS_FILE = 'credentials.json';
export const DEFAULT_USERNAME = 'slipway';

export interface StoredCredentials {
  readonly username: string;
  readonly password: Secret;
}

/**
 * Loads <dir>/credentials.json, or creates it with a random password (32 bytes, base64url).
 * The registry reads its htpasswd once at start: whoever changes these must restart the registry.
 */
export async function loadOrCreateCredentials(dir: string): Promise<StoredCredentials> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, CREDENTIALS_FILE);
  const existing = await readIfExists(file);
  if (existing !== undefined) {
    await tightenMode(file);
    return parseCredentials(existing, file);
  }
  const created: StoredCredentials = { username: DEFAULT_USERNAME, password: new Secret(randomBytes(32).toString('base64url')) };
  const body = JSON.stringify({ username: created.username, password: created.password.reveal() }, null, 2) + '\n';
  // Complete file first, then link(): atomic and never overwrites credentials another process stored meanwhile.
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temporary, body, { mode: 0o600, flag: 'wx' });
    await link(temporary, file);
  } catch (err) {
    if (isErrno(err, 'EEXIST')) return loadOrCreateCredentials(dir);
    throw new SlipwayError('internal', `cannot write ${file}`, { cause: err });
  } finally {
    await rm(temporary, { force: true });
  }
  return created;
}

async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return undefined;
    throw new SlipwayError('internal', `cannot read ${file}`, { cause: err });
  }
}

async function tightenMode(file: string): Promise<void> {
  const { mode } = await stat(file);
  if ((mode & 0o077) !== 0) await chmod(file, 0o600);
}

/** Never echoes the file's content: it holds the password. */
function parseCredentials(text: string, file: string): StoredCredentials {
  const hint = `delete ${file} to generate new registry credentials (the registry container is then recreated)`;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new SlipwayError('internal', `${file} is not valid JSON`, { field: file, hint });
  }
  if (typeof value !== 'object' || value === null) {
    throw new SlipwayError('internal', `${file} must hold an object`, { field: file, hint });
  }
  const record = value as Record<string, unknown>;
  const { username, password } = record;
  if (typeof username !== 'string' || !/^[A-Za-z0-9._-]{1,64}$/.test(username)) {
    throw new SlipwayError('internal', `${file} has no valid "username"`, { field: file, hint });
  }
  if (typeof password !== 'string' || password.length < 16 || Buffer.byteLength(password) > 72 || /[\s:]/.test(password)) {
    throw new SlipwayError('internal', `${file} has no valid "password" (16–72 bytes, no spaces or ":")`, { field: file, hint });
  }
  return { username, password: new Secret(password) };
}

function isErrno(err: unknown, code: string): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === code;
}
