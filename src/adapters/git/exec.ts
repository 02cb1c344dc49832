// Runs git with an argv array (never a shell), in an environment that cannot prompt and allows only GIT_URL_SCHEMES.

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ALLOW_PROTOCOL } from './argv.js';

const execFileAsync = promisify(execFile);

export interface GitCall {
  readonly cwd?: string;
  /** Added to git's environment (e.g. GIT_CONFIG_* carrying a token). */
  readonly env?: Readonly<Record<string, string>>;
  readonly maxBuffer?: number;
  readonly timeout?: number;
}

/** Environment for every git Slipway runs: a webhook has nobody to answer a password prompt. */
export function gitEnv(extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  return { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_ALLOW_PROTOCOL: ALLOW_PROTOCOL, ...extra };
}

/** git's stdout; rejects with execFile's error (code, stderr) when git fails. */
export async function git(args: readonly string[], call: GitCall = {}): Promise<string> {
  const { stdout } = await execFileAsync('git', [...args], {
    cwd: call.cwd,
    env: gitEnv(call.env),
    maxBuffer: call.maxBuffer ?? 16 * 1024 * 1024,
    timeout: call.timeout,
    windowsHide: true,
  });
  return stdout;
}

/** git's trimmed stdout, or null when git fails (not a repository, no such commit, no git). */
export async function gitOrNull(args: readonly string[], call: GitCall = {}): Promise<string | null> {
  return git(args, call).then((out) => out.trim(), () => null);
}

/** Whether git exits 0 (cat-file -e and friends). */
export async function gitSucceeds(args: readonly string[], call: GitCall = {}): Promise<boolean> {
  return git(args, call).then(() => true, () => false);
}
