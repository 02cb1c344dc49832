// Paths a compose file names (env_file, config and secret files, `.env`): resolved against the file's folder and
// kept inside the repository, since the reader only ever sees files the caller extracted from it.

import { posix } from 'node:path';

export type RepoPath = { readonly path: string } | { readonly error: string };

/** `rel` as written in `composeFile` → a path from the repository root, or why it cannot be one. */
export function resolveRepoPath(composeFile: string, rel: string): RepoPath {
  if (rel === '') return { error: 'the path is empty' };
  if (rel.startsWith('/') || rel.startsWith('~') || /^[A-Za-z]:[\\/]/.test(rel)) {
    return { error: `"${rel.slice(0, 80)}" is not a path in the repository: write it relative to the compose file` };
  }
  const joined = posix.normalize(posix.join(posix.dirname(composeFile), rel));
  if (joined === '..' || joined.startsWith('../')) return { error: `"${rel.slice(0, 80)}" leaves the repository` };
  return { path: joined.replace(/^\.\//, '') };
}

/** The `.env` compose reads: beside the first compose file. */
export function dotenvPath(firstComposeFile: string): string {
  const dir = posix.dirname(firstComposeFile);
  return dir === '.' ? '.env' : `${dir}/.env`;
}
