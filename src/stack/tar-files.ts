// Reads a few named regular files out of a tar stream of a run's source in one pass, within a size limit, and stops
// reading (destroying the stream) as soon as the caller has what it needs.

import { posix } from 'node:path';
import type { Readable } from 'node:stream';
import * as tar from 'tar';
import { SlipwayError } from '../core/errors.js';

export interface TarFileOptions {
  /** A bigger entry is an error naming it. */
  readonly maxBytes: number;
  /** What a wanted path must be, for the error when it is a link or a folder. */
  readonly hint: string;
  /** Stop early once this holds (default: every wanted path was read). */
  readonly enough?: (found: ReadonlyMap<string, Buffer>) => boolean;
}

/** Archive paths are compared normalised: `./a/b` and `a/b` are one file. */
export function tarPath(path: string): string {
  return posix.normalize(path).replace(/^\.\//, '');
}

/** path → bytes for the wanted paths the archive holds (a path it lacks is simply absent). */
export async function readTarFiles(stream: Readable, wanted: readonly string[], options: TarFileOptions): Promise<Map<string, Buffer>> {
  const want = new Set(wanted.map(tarPath));
  const found = new Map<string, Buffer>();
  const enough = options.enough ?? ((f) => f.size === want.size);
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
        const path = tarPath(entry.path);
        if (!want.has(path)) return entry.resume();
        if (entry.type !== 'File' && entry.type !== 'OldFile') {
          entry.resume();
          return finish(new SlipwayError('invalid_input', `${path} is not a regular file (${entry.type})`, { field: path, hint: options.hint }));
        }
        if ((entry.size ?? 0) > options.maxBytes) {
          entry.resume();
          return finish(new SlipwayError('invalid_input', `${path} is larger than ${options.maxBytes} bytes`, { field: path }));
        }
        const chunks: Buffer[] = [];
        entry.on('data', (c: Buffer) => chunks.push(c));
        entry.on('end', () => {
          found.set(path, Buffer.concat(chunks));
          if (enough(found)) finish();
        });
      },
    });
    parser.on('end', () => finish());
    parser.on('error', (err: unknown) => finish(err));
    stream.on('error', (err: unknown) => finish(err));
    stream.pipe(parser);
  });
  return found;
}
