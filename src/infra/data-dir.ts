// Slipway's data folder holds the database, sealed secrets, registry credentials and git repositories: only root
// may read it. mkdir's mode applies only to a folder it creates, and SQLite makes its files with the umask (0644),
// so both are set here on every start, also for a folder an older version or a person made.

import { chmod, mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';

export async function ensurePrivateDataDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
}

/** The database and its WAL/SHM files (created by SQLite on open): 0600. */
export async function restrictDatabaseFiles(dbFile: string): Promise<void> {
  const dir = join(dbFile, '..');
  const base = dbFile.slice(dir.length + 1);
  for (const name of await readdir(dir)) {
    if (name === base || name === `${base}-wal` || name === `${base}-shm` || name === `${base}-journal`) await chmod(join(dir, name), 0o600);
  }
}
