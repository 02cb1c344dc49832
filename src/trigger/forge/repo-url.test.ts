import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SlipwayError } from '../../core/errors.js';
import { parseRepoUrl } from './repo-url.js';

describe('parseRepoUrl', () => {
  it('accepts clone URLs of the network protocols', () => {
    for (const url of ['https://github.com/acme/web.git', 'http://127.0.0.1:3000/acme/web.git', 'ssh://git@gitlab.com/acme/web.git', 'git://127.0.0.1/web.git', 'https://oauth2@gitea.example.com/acme/web']) {
      assert.equal(typeof parseRepoUrl(url), 'string', url);
    }
  });

  it('refuses local and command transports, passwords in the URL, and non-URLs, naming the field', () => {
    for (const bad of ['file:///etc', '/srv/git/web.git', 'ext::sh -c touch% /tmp/x', 'https://user:secret@github.com/a/b.git', 'ftp://x/y', '--upload-pack=x', 42, null, `https://x/${'a'.repeat(3000)}`]) {
      assert.throws(() => parseRepoUrl(bad), (err) => err instanceof SlipwayError && err.kind === 'invalid_input' && err.field === 'repo' && !err.message.includes('secret@'), String(bad));
    }
  });
});

describe('parseRepoUrl and option injection (abuse suite, issue 12)', () => {
  it('refuses a host or user that starts with "-" (ssh would read it as -oProxyCommand=…)', () => {
    for (const bad of ['ssh://-oProxyCommand=touch${IFS}/tmp/x@h/x', 'ssh://-oProxyCommand=x/y', 'ssh://-x@h/y', 'ssh://%2Dx@h/y', 'git://-h/y']) {
      assert.throws(() => parseRepoUrl(bad), (err) => err instanceof SlipwayError && err.field === 'repo' && /read as an option/.test(err.message), bad);
    }
    assert.equal(parseRepoUrl('ssh://git@h/-dash-repo.git'), 'ssh://git@h/-dash-repo.git');
  });
});
