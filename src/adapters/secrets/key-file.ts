// The sealing key: 32 random bytes in <dir>/secrets.key (base64, mode 0600), created on first use and never rewritten.

import { randomBytes } from 'node:crypto';
import { link, mkdir, open, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { SlipwayError } from '../../core/errors.js';

export const KEY_FILE_NAME = 'secrets.key';
export const KEY_BYTES = 32;

export interface SealingKey {
  readonly key: Buffer;
  /** Where it lives, for error hints: losing this file loses every stored secret. */
  readonly file: string;
}

/** Reads the key from `dir`, creating the directory and the key if there is none yet. */
export async function loadOrCreateKey(dir: string): Promise<SealingKey> {
  const file = join(dir, KEY_FILE_NAME);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if (!isCode(err, 'ENOENT')) throw unreadable(file, err);
    try {
      await mkdir(dir, { recursive: true, mode: 0o700 }); // the mode applies only to directories it creates
      await createKeyFile(file);
    } catch (cause) {
      throw new SlipwayError('internal', `cannot create secret key file ${file}`, {
        field: file,
        hint: 'check that the data directory is writable by the user Slipway runs as',
        cause,
      });
    }
    text = await readFile(file, 'utf8');
  }
  return { key: parseKey(text, file), file };
}

// Written under a temporary name and published with link(), which fails if the name exists: two processes
// starting at once end up with one key, and nobody ever reads a half-written file.
async function createKeyFile(file: string): Promise<void> {
  const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  const handle = await open(temp, 'wx', 0o600);
  try {
    // The mode given to open() passes through the umask; the key must be owner-only whatever the umask is.
    await handle.chmod(0o600);
    await handle.writeFile(`${randomBytes(KEY_BYTES).toString('base64')}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await link(temp, file);
  } catch (err) {
    if (!isCode(err, 'EEXIST')) throw err;
  } finally {
    await unlink(temp);
  }
}

function parseKey(text: string, file: string): Buffer {
  const encoded = text.trim();
  const key = Buffer.from(encoded, 'base64');
  // Buffer.from skips characters that are not base64; re-encoding catches a file that was edited or truncated.
  if (key.length !== KEY_BYTES || key.toString('base64') !== encoded) {
    throw new SlipwayError('internal', `secret key file ${file} is damaged`, {
      field: file,
      hint: `it must hold ${KEY_BYTES} bytes in base64; restore it from a backup — without it the stored secrets cannot be decrypted`,
    });
  }
  return key;
}

function unreadable(file: string, cause: unknown): SlipwayError {
  return new SlipwayError('internal', `cannot read secret key file ${file}`, {
    field: file,
    hint: 'check that Slipway runs as the user that owns the file',
    cause,
  });
}

function isCode(err: unknown, code: string): boolean {
  return err instanceof Error && 'code' in err && err.code === code;
}
