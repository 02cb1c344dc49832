// Finds a stack's compose file in a tar stream of the run's source (the workspace folder, the git commit or the
// upload), reading only that file and stopping as soon as the best candidate was seen.

import { posix } from 'node:path';
import type { Readable } from 'node:stream';
import type { RepoFile } from '../yaml/file.js';
import { readTarFiles, tarPath } from './tar-files.js';

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
  const best = candidates[0];
  const found = await readTarFiles(stream, candidates, {
    maxBytes: MAX_BYTES,
    hint: 'commit the compose file itself, not a link to it',
    enough: (f) => best !== undefined && f.has(tarPath(best)),
  });
  const path = candidates.find((c) => found.has(tarPath(c)));
  return path === undefined ? null : { path, text: (found.get(tarPath(path)) as Buffer).toString('utf8') };
}
