// The post-receive hook Slipway writes into every app's bare repository.

import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The hook runs inside `git receive-pack` after refs are updated; it hands the ref updates to the Slipway server
 * and prints the server's progress stream, which git relays to the pusher as "remote: …" lines.
 * It reads only fixed environment variables set by Slipway's git endpoint; no user data reaches a shell.
 * node:http, not fetch: fetch (undici) gives up on a response body that is silent for 300 s, and a pipeline step
 * that prints nothing for five minutes (a long test suite) would cut the pusher off from the rest of the run.
 */
const HOOK_BODY = `
// Written to run as CommonJS or ESM alike: no require, no static import.
const url = process.env.SLIPWAY_HOOK_URL, token = process.env.SLIPWAY_HOOK_TOKEN, app = process.env.SLIPWAY_APP;
(async () => {
  if (!url || !token || !app) { console.log('slipway: hook environment missing; the push is stored but nothing was deployed'); return; }
  const http = await import('node:http');
  let input = '';
  for await (const chunk of process.stdin) input += chunk;
  const updates = input.split('\\n').filter(Boolean).map((l) => { const [oldSha, newSha, ref] = l.split(' '); return { oldSha, newSha, ref }; });
  const body = JSON.stringify({ app, updates });
  await new Promise((resolve, reject) => {
    const headers = { authorization: 'Bearer ' + token, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) };
    const req = http.request(url, { method: 'POST', headers }, (res) => {
      res.setEncoding('utf8');
      res.on('data', (text) => process.stdout.write(text));
      res.on('end', resolve);
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
})().catch((err) => { console.log('slipway: lost contact with the server (' + err.message + '); see \`slipway status ' + app + '\`'); });
`;

export async function writeHook(repoDir: string): Promise<void> {
  const hook = join(repoDir, 'hooks', 'post-receive');
  await mkdir(join(repoDir, 'hooks'), { recursive: true });
  await writeFile(hook, `#!${process.execPath}\n${HOOK_BODY}`);
  await chmod(hook, 0o755);
}
