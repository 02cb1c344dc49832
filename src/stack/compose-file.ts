// Finds a stack's compose file in a tar stream of the run's source (the workspace folder, the git commit or the
// upload), reading only that file and stopping as soon as the best candidate was seen.

import { posix } from 'node:path';
import type { Readable } from 'node:stream';
import * as tar from 'tar';
import { SlipwayError } from '../core/errors.js';
import type { RepoFile } from '../yaml/file.js';

/** Where `docker compose` looks, in its order of preference. */
export const DEFAULT_COMPOSE_FILES: readonly string[] = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];

/** Compose files are small; a bigger one is a mistake (and parseYaml refuses it anyway). */
const MAX_BYTES = 1024 * 1024;

/** The folder to export and the names to look for in it: the given file, or the default names at the root. */
export function composeCandidates(file: string | null): { folder: string; names: readonly string[] } {
  if (file === null) return { folder: '.', names: DEFAULT_COMPOSE_FILES };
  return { folder: posix.dirname(file), names: [posix.basename(file)] };
}

/**
 * The first of `candidates` (paths inside the archive) in candidate order, or null when none is there.
 * The stream is destroyed once the answer is known.
 */
export async function composeFileFromTar(stream: Readable, candidates: readonly string[]): Promise<RepoFile | null> {
  const found = new Map<string, string>();
  const best = candidates[0];
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
        if (!candidates.includes(path)) return entry.resume();
        if (entry.type !== 'File' && entry.type !== 'OldFile') {
          entry.resume();
          return finish(new SlipwayError('invalid_input', `${path} is not a regular file (${entry.type})`, {
            field: path,
            hint: 'commit the compose file itself, not a link to it',
          }));
        }
        if ((entry.size ?? 0) > MAX_BYTES) {
          entry.resume();
          return finish(new SlipwayError('invalid_input', `${path} is larger than ${MAX_BYTES} bytes`, { field: path }));
        }
        const chunks: Buffer[] = [];
        entry.on('data', (c: Buffer) => chunks.push(c));
        entry.on('end', () => {
          found.set(path, Buffer.concat(chunks).toString('utf8'));
          if (path === best) finish();
        });
      },
    });
    parser.on('end', () => finish());
    parser.on('error', (err: unknown) => finish(err));
    stream.on('error', (err: unknown) => finish(err));
    stream.pipe(parser);
  });
  const path = candidates.find((c) => found.has(c));
  return path === undefined ? null : { path, text: found.get(path) as string };
}
