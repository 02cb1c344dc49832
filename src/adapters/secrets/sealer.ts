// The sealer port (core/ports/sealer.ts) with AES-256-GCM, a fresh IV per value: seals app secrets for the store, opens them for the run.
//
// Sealed format, versioned so the cipher can change later: v1:<iv b64>:<tag b64>:<ciphertext b64>.
// Errors never carry the value: opening fails with one message whatever went wrong (wrong key or tampering).

import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { SlipwayError } from '../../core/errors.js';
import type { Sealer } from '../../core/ports/sealer.js';
import { Secret } from '../../core/secret.js';
import { KEY_BYTES, loadOrCreateKey } from './key-file.js';

const VERSION = 'v1';
const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12; // the size GCM is defined for; other sizes are hashed into one
const TAG_BYTES = 16;

/** The sealer of a data directory: its key is `<dir>/secrets.key`, created on first use. */
export async function openSealer(dir: string): Promise<Sealer> {
  const { key, file } = await loadOrCreateKey(dir);
  return createSealer(key, file);
}

export function createSealer(key: Uint8Array, keyFile: string): Sealer {
  if (key.length !== KEY_BYTES) throw new SlipwayError('internal', `a sealing key has ${KEY_BYTES} bytes, got ${key.length}`);
  const cannotDecrypt = (cause?: unknown) =>
    new SlipwayError('internal', 'secret cannot be decrypted', {
      field: keyFile,
      hint: `it was sealed with another key than ${keyFile}, or changed in the database; ` +
        'restore the key file this database was used with, or set the secret again',
      cause,
    });

  return {
    seal(value) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
      const ciphertext = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
      const b64 = (bytes: Buffer) => bytes.toString('base64');
      return `${VERSION}:${b64(iv)}:${b64(cipher.getAuthTag())}:${b64(ciphertext)}`;
    },

    open(sealed) {
      const parts = parseSealed(sealed);
      if (parts === null) throw cannotDecrypt();
      try {
        const decipher = createDecipheriv(ALGORITHM, key, parts.iv, { authTagLength: TAG_BYTES });
        decipher.setAuthTag(parts.tag);
        return new Secret(Buffer.concat([decipher.update(parts.ciphertext), decipher.final()]).toString('utf8'));
      } catch (err) {
        throw cannotDecrypt(err);
      }
    },
  };
}

interface SealedParts {
  readonly iv: Buffer;
  readonly tag: Buffer;
  readonly ciphertext: Buffer;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function parseSealed(sealed: string): SealedParts | null {
  const [version, iv, tag, ciphertext, ...rest] = sealed.split(':');
  if (version !== VERSION || iv === undefined || tag === undefined || ciphertext === undefined || rest.length > 0) return null;
  const decoded = [iv, tag, ciphertext].map((p) => (BASE64.test(p) ? Buffer.from(p, 'base64') : null));
  const [ivBytes, tagBytes, cipherBytes] = decoded;
  if (ivBytes == null || tagBytes == null || cipherBytes == null) return null;
  if (ivBytes.length !== IV_BYTES || tagBytes.length !== TAG_BYTES) return null;
  return { iv: ivBytes, tag: tagBytes, ciphertext: cipherBytes };
}
