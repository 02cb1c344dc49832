// The clone URL an app follows on its forge, checked where it enters (`slipway apps connect`). Fetching it is the
// git port's job (core/ports/git.ts); the URL stored here is the only one fetched, never one a webhook names.

import { SlipwayError } from '../../core/errors.js';
import { GIT_URL_SCHEMES } from '../../core/ports/git.js';

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
  if (!(GIT_URL_SCHEMES as readonly string[]).includes(scheme)) throw bad(`scheme ${scheme} is not one of ${GIT_URL_SCHEMES.join(', ')}`);
  if (url.hostname === '') throw bad('no host');
  if (url.password !== '') throw bad('it carries a password');
  // CVE-2017-1000117 and kin: a host or user that starts with "-" becomes an ssh option (-oProxyCommand=…) in old
  // gits. Git 2.39.1 refuses it too; no real host or user looks like that, so it never reaches git.
  if (url.hostname.startsWith('-') || /^(-|%2d)/i.test(url.username)) throw bad('a host or user that starts with "-" would be read as an option');
  return url.toString();
}
