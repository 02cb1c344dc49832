// Slipway runs `git archive` on commits anyone with push access (or a fork's pull request) wrote: older gits parse
// an attacker's .gitattributes with integer overflows (CVE-2022-23521, CVE-2022-41903; fixed in 2.39.1 and the
// matching point releases). Refuse to start on a git without those fixes rather than serve with it.

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { SlipwayError } from '../core/errors.js';

const run = promisify(execFile);

/** The oldest git Slipway runs with. Point releases of older lines carry the fix too, but only 2.39.1+ is checked. */
export const MIN_GIT: readonly [number, number, number] = [2, 39, 1];

export function parseGitVersion(output: string): [number, number, number] | null {
  const m = /^git version (\d+)\.(\d+)(?:\.(\d+))?/.exec(output.trim());
  return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : null;
}

export function isSafeGit(version: readonly [number, number, number]): boolean {
  for (let i = 0; i < 3; i++) {
    if (version[i]! !== MIN_GIT[i]!) return version[i]! > MIN_GIT[i]!;
  }
  return true;
}

export async function ensureSafeGit(): Promise<string> {
  const { stdout } = await run('git', ['--version']).catch((err: unknown) => {
    throw new SlipwayError('dependency', 'git is not installed', { hint: 'install git 2.39.1 or newer (apt-get install git)', cause: err });
  });
  const version = parseGitVersion(stdout);
  if (version === null || !isSafeGit(version)) {
    throw new SlipwayError('dependency', `${stdout.trim() || 'git'} is too old: Slipway needs git ${MIN_GIT.join('.')} or newer`, {
      hint: 'older versions mis-parse .gitattributes in pushed commits (CVE-2022-23521, CVE-2022-41903); upgrade git',
    });
  }
  return version.join('.');
}
