// Fetches a ref from the app's forge repository into the app's own bare repository, so runs of forge events
// use the same sources, pipeline files, manual runs and schedules as pushes to Slipway's git remote.
//
// The URL is the one stored with `slipway apps connect`, never one a webhook names. The access token travels in
// git's environment (GIT_CONFIG_*), not in argv, where any local user could read it with `ps`.

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { SlipwayError } from '../../core/errors.js';
import { maskSecrets } from '../../core/mask.js';

const run = promisify(execFile);

const FETCH_TIMEOUT_MS = 5 * 60_000;

/** Protocols a forge URL may use; git's file and ext transports could read or run anything on this machine. */
export const ALLOWED_SCHEMES = ['https', 'http', 'ssh', 'git'] as const;

/** A clone URL Slipway will fetch from; invalid_input otherwise. Credentials belong in the token, not the URL. */
export function parseRepoUrl(value: unknown): string {
  const bad = (why: string) =>
    // A password in the URL is not echoed back into logs and terminals.
    new SlipwayError('invalid_input', `invalid repository URL ${JSON.stringify(value)?.replace(/\/\/([^/:@]*):[^/@]*@/, '//$1:***@')}: ${why}`, {
      field: 'repo',
      hint: 'give the clone URL, e.g. https://github.com/owner/app.git; put an access token in --token, not in the URL',
    });
  if (typeof value !== 'string' || value.length > 2048) throw bad('expected a URL');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw bad('not a URL');
  }
  const scheme = url.protocol.replace(/:$/, '');
  if (!(ALLOWED_SCHEMES as readonly string[]).includes(scheme)) throw bad(`scheme ${scheme} is not one of ${ALLOWED_SCHEMES.join(', ')}`);
  if (url.hostname === '') throw bad('no host');
  if (url.password !== '') throw bad('it carries a password');
  return url.toString();
}

export interface FetchRequest {
  /** The app's bare repository. */
  readonly repoDir: string;
  readonly url: string;
  readonly token: string | null;
  /** Ref on the forge, e.g. refs/heads/main or refs/pull/7/head. */
  readonly remoteRef: string;
  /** Where it is stored locally. */
  readonly localRef: string;
  /** The commit the webhook announced; it must be in what was fetched. */
  readonly commit: string;
}

/** Fetches, then checks the announced commit arrived; a clear SlipwayError when the forge cannot be read. */
export async function fetchFromForge(req: FetchRequest): Promise<void> {
  await forgeGit(['-C', req.repoDir, 'fetch', '--quiet', '--no-tags', '--force', '--', req.url, `+${req.remoteRef}:${req.localRef}`], req, `fetch ${req.remoteRef}`);
  // A replayed (or late) delivery names an older commit: only the ref's head runs, never old code again.
  const head = await run('git', ['-C', req.repoDir, 'rev-parse', '--verify', '--quiet', '--end-of-options', req.localRef]).then((r) => r.stdout.trim(), () => '');
  if (head !== '' && head !== req.commit.toLowerCase()) {
    throw new SlipwayError('conflict', `commit ${req.commit.slice(0, 12)} is not the head of ${req.remoteRef} (${head.slice(0, 12)} is)`, {
      hint: 'a replayed or late delivery; the delivery for the current head runs it',
    });
  }
  try {
    await run('git', ['-C', req.repoDir, 'cat-file', '-e', `${req.commit}^{commit}`]);
  } catch {
    throw new SlipwayError('conflict', `commit ${req.commit.slice(0, 12)} is not in ${req.remoteRef} of ${req.url} any more`, {
      hint: 'it was probably force-pushed away; the next delivery for the new head will run',
    });
  }
}

/** Checks the repository can be read with these credentials (at connect time, before anything is stored). */
export async function probeForge(url: string, token: string | null): Promise<void> {
  await forgeGit(['ls-remote', '--heads', '--', url], { url, token }, 'read');
}

async function forgeGit(args: string[], forge: { readonly url: string; readonly token: string | null }, what: string): Promise<void> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    // Never wait for a password prompt: a webhook has nobody to answer it.
    GIT_TERMINAL_PROMPT: '0',
    GIT_ALLOW_PROTOCOL: ALLOWED_SCHEMES.join(':'),
  };
  if (forge.token !== null) {
    // GitLab wants a user name with a token; "oauth2" works there, and GitHub and Gitea accept any name.
    const basic = Buffer.from(`oauth2:${forge.token}`).toString('base64');
    Object.assign(env, { GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'http.extraHeader', GIT_CONFIG_VALUE_0: `Authorization: Basic ${basic}` });
  }
  try {
    await run('git', args, { env, timeout: FETCH_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 });
  } catch (err) {
    const stderr = String((err as { stderr?: unknown }).stderr || (err as Error).message).trim();
    const said = forge.token === null ? stderr : maskSecrets(stderr, [forge.token]);
    throw new SlipwayError('dependency', `could not ${what} from ${forge.url}: ${said.split('\n').slice(-3).join(' ') || 'git failed'}`, {
      field: 'repo',
      hint: 'check the URL and, for a private repository, the access token given to `slipway apps connect --token-stdin`',
      cause: err,
    });
  }
}
