// Reads the files a stack's configs and secrets come from (`file:` in the compose file) out of a tar stream of the
// source, in one pass, within limits: Swarm keeps a config or secret to 500 KiB (swarmkit's MaxConfigSize).

import { posix } from 'node:path';
import type { Readable } from 'node:stream';
import * as tar from 'tar';
import { SlipwayError } from '../core/errors.js';

const MAX_BYTES = 500 * 1024;

/** path (repository-relative) → bytes, for every wanted path; a missing one is an error naming it unless optional. */
export async function filesFromTar(stream: Readable, wanted: readonly string[], options: { optional?: boolean } = {}): Promise<Map<string, Buffer>> {
  const want = new Set(wanted.map((p) => posix.normalize(p).replace(/^\.\//, '')));
  const found = new Map<string, Buffer>();
  if (want.size === 0) {
    stream.destroy();
    return found;
  }
  await new Promise<void>((resolve, reject) => {
    let done = false;
    const finish = (err?: unknown) => {
      if (done) return;
      done = true;
      stream.unpipe(parser);
      stream.destroy();
      if (err === undefined) resolve();
      else reject(err instanceof Error ? err : new Error(String(err)));
    };
    const parser = tar.t({
      onReadEntry: (entry) => {
        const path = posix.normalize(entry.path).replace(/^\.\//, '');
        if (!want.has(path)) return entry.resume();
        if (entry.type !== 'File' && entry.type !== 'OldFile') {
          entry.resume();
          return finish(new SlipwayError('invalid_input', `${path} is not a regular file (${entry.type})`, { field: path, hint: 'a config or secret file must be a file in the repository, not a link' }));
        }
        if ((entry.size ?? 0) > MAX_BYTES) {
          entry.resume();
          return finish(new SlipwayError('invalid_input', `${path} is larger than Swarm's ${MAX_BYTES / 1024} KiB for a config or secret`, { field: path }));
        }
        const chunks: Buffer[] = [];
        entry.on('data', (c: Buffer) => chunks.push(c));
        entry.on('end', () => {
          found.set(path, Buffer.concat(chunks));
          if (found.size === want.size) finish();
        });
      },
    });
    parser.on('end', () => finish());
    parser.on('error', (err: unknown) => finish(err));
    stream.on('error', (err: unknown) => finish(err));
    stream.pipe(parser);
  });
  const missing = [...want].filter((p) => !found.has(p));
  if (missing.length > 0 && options.optional !== true) {
    throw new SlipwayError('invalid_input', `the compose file's config/secret file(s) ${missing.join(', ')} are not in the source`, {
      field: missing[0], hint: 'commit the file, or fix its path (relative to the compose file)',
    });
  }
  return found;
}
