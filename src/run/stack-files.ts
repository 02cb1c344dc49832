// Reads the files a stack needs from its source besides the compose file (`.env`, env_files, the files configs and
// secrets come from) out of a tar stream, in one pass: Swarm keeps a config or secret to 500 KiB (MaxConfigSize).

import type { Readable } from 'node:stream';
import { SlipwayError } from '../core/errors.js';
import { readTarFiles, tarPath } from '../stack/tar-files.js';

const MAX_BYTES = 500 * 1024;

/** path (repository-relative) → bytes, for every wanted path; a missing one is an error naming it unless optional. */
export async function filesFromTar(stream: Readable, wanted: readonly string[], options: { optional?: boolean } = {}): Promise<Map<string, Buffer>> {
  const found = await readTarFiles(stream, wanted, { maxBytes: MAX_BYTES, hint: 'a config or secret file must be a file in the repository, not a link' });
  const missing = [...new Set(wanted.map(tarPath))].filter((p) => !found.has(p));
  if (missing.length > 0 && options.optional !== true) {
    throw new SlipwayError('invalid_input', `the compose file's config/secret file(s) ${missing.join(', ')} are not in the source`, {
      field: missing[0], hint: 'commit the file, or fix its path (relative to the compose file)',
    });
  }
  return found;
}
