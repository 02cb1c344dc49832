// The peers' CVE inputs (shell, git option and transport injection, traversal, look-alikes, over-long values), each
// built around a canary path: if any of them were run by a shell, the canary file would appear.

import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A unique canary path per suite run; `touched()` tells whether anything created it. */
export function canaryPath(): string {
  return join(tmpdir(), `slipway-canary-${process.pid}-${randomBytes(6).toString('hex')}`);
}

/** Hostile values for a name, branch, tag, URL, path or domain; every one would touch `canary` if a shell ran it. */
export function hostileInputs(canary: string): string[] {
  const touch = `touch ${canary}`;
  const shell = [
    `$(${touch})`, `\`${touch}\``, `;${touch}`, `;${touch};`, `|${touch}`, `||${touch}`, `&&${touch}`, `&${touch}&`,
    `x;${touch}`, `x|${touch}`, `x$(${touch})`, `x\`${touch}\``, `x\n${touch}`, `x\r\n${touch}`, `\n${touch}`,
    `x\0${touch}`, `x>${canary}`, `x>>${canary}`, `<${canary}`, `\${IFS}${touch.replace(/ /g, '${IFS}')}`,
    `a b`, `'${touch}'`, `"$(${touch})"`, `x%0a${touch}`, `x%00y`, `$((1+1))`, `{a,b}`, `*`, `?`, `~root`, `!`,
  ];
  const gitOptions = [
    `--upload-pack=${touch}`, `--upload-pack=touch ${canary}`, `-u${touch}`, `--receive-pack=${touch}`,
    `-oProxyCommand=${touch}`, `-oProxyCommand=sh -c '${touch}'`, `--output=${canary}`, `--exec=${touch}`,
    `--config=core.sshCommand=${touch}`, `-c core.sshCommand=${touch}`, `--template=${canary}`, `-`, `--`, `--all`,
    `-x`, `-h`,
  ];
  const transports = [
    `ext::sh -c ${touch}`, `ext::sh -c touch% ${canary}`, `ext::${touch}`, `file:///etc/passwd`, `file://${canary}`,
    `fd::17`, `ssh://-oProxyCommand=${touch}/x`, `ssh://host/-oProxyCommand=${touch}`, `git+ssh://-oProxyCommand=x/y`,
    `ssh://-oProxyCommand=${touch.replace(/ /g, '${IFS}')}@h/x`, `http://h/$(${touch})`, `https://h/\`${touch}\``,
    `javascript:alert(1)`, `data:text/plain,x`, `gopher://127.0.0.1:25/x`, `dict://127.0.0.1:11211/`,
  ];
  const paths = [
    '..', '../..', '../../etc/passwd', '/etc/passwd', '/', './../x', 'a/../../b', 'a/..', '..\\..\\x', 'C:\\x', '//server/share',
    '.git', '.git/config', 'a//b', '%2e%2e/x', '..%2fx', canary,
  ];
  const refs = ['a..b', 'x@{1}', 'main~3', 'main^', 'a:b', 'a?', 'a[', 'a\\b', 'x.lock', '.hidden', 'x/', '/x', 'x//y', '@', 'HEAD@{0}', 'refs/heads/x.lock'];
  const lookalikes = [
    'аpp', 'ѕlipway', 'ex\u0430mple.com', 'web\u200b', '\u202eppa', 'ｗｅｂ', 'web\u00a0', 'wéb', '\ufeffweb', 'we\u0301b',
    'xn--80ak6aa92e.com', 'web\u2028x', 'web\u0085x', 'ＡＰＩ_KEY', 'ΚΕΥ',
  ];
  const long = ['a'.repeat(64), 'a'.repeat(256), 'a'.repeat(4097), `${'a'.repeat(63)}.${'b'.repeat(64)}.com`, `${'x.'.repeat(200)}com`, `x${'-'.repeat(300)}`];
  const control = ['', ' ', '\t', '\x1b[31mred', 'x\x07', 'x\x7f', 'x\u0000', '\u0000'];
  return [...shell, ...gitOptions, ...transports, ...paths, ...refs, ...lookalikes, ...long, ...control];
}
