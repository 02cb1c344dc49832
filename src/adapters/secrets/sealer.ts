// The sealer port (core/ports/sealer.ts) with AES-256-GCM, a fresh IV per value: seals app secrets for the store, opens them for the run.
//
// Sealed format, versioned so the cipher can change later: v2:<iv b64>:<tag b64>:<ciphertext b64>, where the GCM
// additional data is the context (app, kind, name): a value copied to another row or column no longer opens (issue 12).
// v1 (same layout, no additional data) is what older versions wrote: open refuses it, since it is bound to nothing;
// upgrade re-seals it as v2 (the composition root does so for every stored value at start).
// Errors never carry the value: opening fails with one message whatever went wrong (wrong key or tampering).

import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { SlipwayError } from '../../core/errors.js';
import { describeSealContext, type SealContext, type Sealer } from '../../core/ports/sealer.js';
import { Secret } from '../../core/secret.js';
import { KEY_BYTES, loadOrCreateKey } from './key-file.js';

const VERSION = 'v2';
const UNBOUND_VERSION = 'v1';
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
  const cannotDecrypt = (context: SealContext, cause?: unknown) =>
    new SlipwayError('internal', 'secret cannot be decrypted', {
      field: keyFile,
      hint: `${describeSealContext(context)} was sealed with another key than ${keyFile}, for another app, name or kind, ` +
        'or changed in the database; restore the key file this database was used with, or set the value again',
      cause,
    });
  const decrypt = (parts: SealedParts, aad: Buffer | null, context: SealContext): string => {
    try {
      const decipher = createDecipheriv(ALGORITHM, key, parts.iv, { authTagLength: TAG_BYTES });
      if (aad !== null) decipher.setAAD(aad);
      decipher.setAuthTag(parts.tag);
      return Buffer.concat([decipher.update(parts.ciphertext), decipher.final()]).toString('utf8');
    } catch (err) {
      throw cannotDecrypt(context, err);
    }
  };
  const seal = (value: string, context: SealContext): string => {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(additionalData(context));
    const ciphertext = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
    const b64 = (bytes: Buffer) => bytes.toString('base64');
    return `${VERSION}:${b64(iv)}:${b64(cipher.getAuthTag())}:${b64(ciphertext)}`;
  };

  return {
    seal,

    open(sealed, context) {
      const parts = parseSealed(sealed);
      if (parts === null) throw cannotDecrypt(context);
      if (parts.version === UNBOUND_VERSION) {
        // Bound to nothing, so it could have been copied from any row: only upgrade (at start) may open it.
        throw new SlipwayError('internal', 'secret cannot be decrypted', {
          field: keyFile,
          hint: `${describeSealContext(context)} is still in the old sealed format (v1); Slipway re-seals such values ` +
            'when it starts: restart it, or set the value again',
        });
      }
      return new Secret(decrypt(parts, additionalData(context), context));
    },

    upgrade(sealed, context) {
      const parts = parseSealed(sealed);
      if (parts === null) throw cannotDecrypt(context);
      if (parts.version === VERSION) return null;
      return seal(decrypt(parts, null, context), context);
    },
  };
}

/** The GCM additional data: the context as a JSON array, unambiguous whatever the names hold. */
function additionalData(c: SealContext): Buffer {
  return Buffer.from(JSON.stringify(['slipway-sealed', c.kind, c.app, c.kind === 'secret' || c.kind === 'config' ? c.name : null]), 'utf8');
}

interface SealedParts {
  readonly version: typeof VERSION | typeof UNBOUND_VERSION;
  readonly iv: Buffer;
  readonly tag: Buffer;
  readonly ciphertext: Buffer;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function parseSealed(sealed: string): SealedParts | null {
  const [version, iv, tag, ciphertext, ...rest] = sealed.split(':');
  if ((version !== VERSION && version !== UNBOUND_VERSION) || iv === undefined || tag === undefined || ciphertext === undefined || rest.length > 0) return null;
  const decoded = [iv, tag, ciphertext].map((p) => (BASE64.test(p) ? Buffer.from(p, 'base64') : null));
  const [ivBytes, tagBytes, cipherBytes] = decoded;
  if (ivBytes == null || tagBytes == null || cipherBytes == null) return null;
  if (ivBytes.length !== IV_BYTES || tagBytes.length !== TAG_BYTES) return null;
  return { version, iv: ivBytes, tag: tagBytes, ciphertext: cipherBytes };
}
