// The commit at the head of a branch in an app's bare repository, or null when that branch was never pushed.

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export async function branchHead(repoDir: string, branch: string): Promise<string | null> {
  // argv, not a shell; `--end-of-options` keeps a branch named like a flag from being read as one.
  return run('git', ['-C', repoDir, 'rev-parse', '--verify', '--quiet', '--end-of-options', `refs/heads/${branch}^{commit}`]).then(
    (r) => r.stdout.trim() || null,
    () => null,
  );
}
