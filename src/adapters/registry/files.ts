// Writes the registry folder (config.yml, htpasswd, data/), rewriting a file only when its content must change.

import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SlipwayError } from '../../core/errors.js';
import { htpasswdLine, htpasswdMatches, registryConfigYaml } from './config.js';
import type { StoredCredentials } from './credentials.js';

export interface RegistryFiles {
  readonly configText: string;
  readonly htpasswdText: string;
}

/**
 * Idempotent. The htpasswd is kept while it still matches the credentials (bcrypt salts are random, so
 * regenerating it on every start would look like a change and restart the registry each time).
 */
export async function writeRegistryFiles(dir: string, credentials: StoredCredentials): Promise<RegistryFiles> {
  await mkdir(join(dir, 'data'), { recursive: true, mode: 0o700 });
  const configText = registryConfigYaml();
  const configFile = join(dir, 'config.yml');
  if ((await readIfExists(configFile)) !== configText) await replaceFile(configFile, configText, 0o644);

  const htpasswdFile = join(dir, 'htpasswd');
  const current = await readIfExists(htpasswdFile);
  if (current !== undefined && (await htpasswdMatches(current, credentials.username, credentials.password))) {
    return { configText, htpasswdText: current };
  }
  const htpasswdText = await htpasswdLine(credentials.username, credentials.password);
  await replaceFile(htpasswdFile, htpasswdText, 0o600);
  return { configText, htpasswdText };
}

async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    if (typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 'ENOENT') return undefined;
    throw new SlipwayError('internal', `cannot read ${file}`, { cause: err });
  }
}

/** Write-then-rename: a reader never sees half a file. A running container keeps the old inode until recreated. */
async function replaceFile(file: string, text: string, mode: number): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    await writeFile(temporary, text, { mode });
    await rename(temporary, file);
  } catch (err) {
    throw new SlipwayError('internal', `cannot write ${file}`, { cause: err });
  }
}
