// Fetches a ref of a remote repository (a forge) into an app's bare repository, and probes a URL before it is stored.
//
// The access token travels in git's environment (GIT_CONFIG_*), not in argv, where any local user could read it
// with `ps`; it is masked out of every error.

import { SlipwayError } from '../../core/errors.js';
import { maskSecrets } from '../../core/mask.js';
import type { RemoteFetch } from '../../core/ports/git.js';
import type { Secret } from '../../core/secret.js';
import { argv } from './argv.js';
import { git, gitOrNull, gitSucceeds } from './exec.js';

const FETCH_TIMEOUT_MS = 5 * 60_000;

/** Fetches, then checks the announced commit arrived; a clear SlipwayError when the remote cannot be read. */
export async function fetchRemote(repoDir: string, req: RemoteFetch): Promise<void> {
  await remoteGit(argv.fetch(repoDir, req.url, req.remoteRef, req.localRef), req, `fetch ${req.remoteRef}`);
  // A replayed (or late) delivery names an older commit: only the ref's head runs, never old code again.
  const head = await gitOrNull(argv.resolveCommit(repoDir, req.localRef));
  if (head !== null && head !== req.commit.toLowerCase()) {
    throw new SlipwayError('conflict', `commit ${req.commit.slice(0, 12)} is not the head of ${req.remoteRef} (${head.slice(0, 12)} is)`, {
      hint: 'a replayed or late delivery; the delivery for the current head runs it',
    });
  }
  if (!(await gitSucceeds(argv.hasCommit(repoDir, req.commit)))) {
    throw new SlipwayError('conflict', `commit ${req.commit.slice(0, 12)} is not in ${req.remoteRef} of ${req.url} any more`, {
      hint: 'it was probably force-pushed away; the next delivery for the new head will run',
    });
  }
}

/** Checks the repository can be read with these credentials (at connect time, before anything is stored). */
export async function probeRemote(url: string, token: Secret | null): Promise<void> {
  await remoteGit(argv.lsRemote(url), { url, token }, 'read');
}

/** The environment that carries a token as an Authorization header. */
export function tokenEnv(token: Secret | null): Record<string, string> {
  if (token === null) return {};
  // GitLab wants a user name with a token; "oauth2" works there, and GitHub and Gitea accept any name.
  const basic = Buffer.from(`oauth2:${token.reveal()}`).toString('base64');
  return { GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'http.extraHeader', GIT_CONFIG_VALUE_0: `Authorization: Basic ${basic}` };
}

async function remoteGit(args: string[], remote: { readonly url: string; readonly token: Secret | null }, what: string): Promise<void> {
  try {
    await git(args, { env: tokenEnv(remote.token), timeout: FETCH_TIMEOUT_MS });
  } catch (err) {
    const stderr = String((err as { stderr?: unknown }).stderr || (err as Error).message).trim();
    const said = remote.token === null ? stderr : maskSecrets(stderr, [remote.token.reveal()]);
    throw new SlipwayError('dependency', `could not ${what} from ${remote.url}: ${said.split('\n').slice(-3).join(' ') || 'git failed'}`, {
      field: 'repo',
      hint: 'check the URL and, for a private repository, the access token given to `slipway apps connect --token-stdin`',
      cause: err,
    });
  }
}
