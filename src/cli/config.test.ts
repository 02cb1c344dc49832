// Config: env over file, XDG_CONFIG_HOME, 0600 file mode, and `slipway login` verifying before saving.

import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Secret } from '../core/secret.js';
import { cliConfigPath, loadCliConfig, saveCliConfig } from './config.js';
import { main } from './main.js';
import { loginCommandWith } from './commands/login.js';
import { bodyJson, json, startFakeApi, TOKEN, type FakeApi } from './testing/fake-api.js';
import { appSummary } from './testing/fixtures.js';
import { testIO } from './testing/test-io.js';

async function home(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'slipway-config-'));
}

describe('cli config', () => {
  it('lives under ~/.config unless XDG_CONFIG_HOME is set', async () => {
    assert.equal(cliConfigPath(testIO({ HOME: '/home/u' })), '/home/u/.config/slipway/cli.json');
    assert.equal(cliConfigPath(testIO({ HOME: '/home/u', XDG_CONFIG_HOME: '/xdg' })), '/xdg/slipway/cli.json');
  });

  it('writes the file with mode 0600 and reads it back', async () => {
    const io = testIO({ HOME: await home() });
    const path = await saveCliConfig(io, { url: 'http://127.0.0.1:7070/', token: new Secret('s3cret') });
    assert.equal((await stat(path)).mode & 0o777, 0o600);
    assert.deepEqual(JSON.parse(await readFile(path, 'utf8')), { url: 'http://127.0.0.1:7070', token: 's3cret' });
    const loaded = await loadCliConfig(io);
    assert.equal(loaded.url, 'http://127.0.0.1:7070');
    assert.equal(loaded.token.reveal(), 's3cret');
    assert.equal(JSON.stringify(loaded), '{"url":"http://127.0.0.1:7070","token":"***"}');
  });

  it('tightens an existing file to 0600 when it saves again', async () => {
    const io = testIO({ HOME: await home() });
    const path = cliConfigPath(io);
    await mkdir(join(path, '..'), { recursive: true });
    await writeFile(path, '{}', { mode: 0o644 });
    await saveCliConfig(io, { url: 'http://a.example', token: new Secret('t') });
    assert.equal((await stat(path)).mode & 0o777, 0o600);
  });

  it('takes SLIPWAY_URL and SLIPWAY_TOKEN over the file, each on its own', async () => {
    const dir = await home();
    await saveCliConfig(testIO({ HOME: dir }), { url: 'http://file.example', token: new Secret('file-token') });
    const both = await loadCliConfig(testIO({ HOME: dir, SLIPWAY_URL: 'http://env.example', SLIPWAY_TOKEN: 'env-token' }));
    assert.deepEqual([both.url, both.token.reveal()], ['http://env.example', 'env-token']);
    const urlOnly = await loadCliConfig(testIO({ HOME: dir, SLIPWAY_URL: 'http://env.example' }));
    assert.deepEqual([urlOnly.url, urlOnly.token.reveal()], ['http://env.example', 'file-token']);
    const none = await loadCliConfig(testIO({ HOME: dir, SLIPWAY_URL: '' }));
    assert.deepEqual([none.url, none.token.reveal()], ['http://file.example', 'file-token']);
  });

  it('says what is missing: server (invalid_input) or token (unauthorized)', async () => {
    await assert.rejects(loadCliConfig(testIO({ HOME: await home() })), { kind: 'invalid_input', message: 'no Slipway server configured' });
    await assert.rejects(loadCliConfig(testIO({ HOME: await home(), SLIPWAY_URL: 'http://x.example' })), { kind: 'unauthorized' });
    await assert.rejects(loadCliConfig(testIO({ SLIPWAY_URL: 'ftp://x', SLIPWAY_TOKEN: 't' })), { kind: 'invalid_input', field: 'url' });
  });

  it('reports a broken config file with its path', async () => {
    const io = testIO({ HOME: await home() });
    const path = cliConfigPath(io);
    await mkdir(join(path, '..'), { recursive: true });
    await writeFile(path, 'not json');
    await assert.rejects(loadCliConfig(io), { kind: 'invalid_input', message: `${path} is not valid JSON` });
  });
});

describe('slipway login', () => {
  let api: FakeApi;
  before(async () => {
    api = await startFakeApi({
      'GET /api/me': json({ me: { name: 'ann', kind: 'session', grants: [{ role: 'deployer', app: 'web' }] } }),
      // The fake wants TOKEN on every other call: the session it gives is that.
      'POST /api/session': json({ token: TOKEN, user: { name: 'ann', grants: [], totp: true, createdAt: '' }, expiresAt: '' }, 201),
    });
  });
  after(() => api.close());

  it('checks the token with GET /api/me, then saves url and token 0600 without printing the token', async () => {
    const dir = await home();
    const io = testIO({ XDG_CONFIG_HOME: dir });
    assert.equal(await main(['login', `${api.url}/`, '--token', TOKEN], io), 0);
    const req = api.requests.at(-1);
    assert.equal(req?.method, 'GET');
    assert.equal(req?.path, '/api/me');
    assert.equal(req?.headers.authorization, `Bearer ${TOKEN}`);
    const path = join(dir, 'slipway', 'cli.json');
    assert.equal(io.stdout.text, `logged in to ${api.url} as ann (deployer on web); saved to ${path}\n`);
    assert.equal((await stat(path)).mode & 0o777, 0o600);
    assert.deepEqual(JSON.parse(await readFile(path, 'utf8')), { url: api.url, token: TOKEN });
    assert.doesNotMatch(io.stdout.text + io.stderr.text, new RegExp(TOKEN));
  });

  it('--user signs in with the password from stdin and the TOTP code, and saves the session token', async () => {
    const dir = await home();
    const io = testIO({ XDG_CONFIG_HOME: dir });
    const login = loginCommandWith(async () => 'correct horse battery\n');
    assert.equal(await login.run([api.url, '--user', 'ann', '--totp', '123456'], io), 0, io.stderr.text);
    const signIn = api.requests.find((r) => r.method === 'POST' && r.path === '/api/session');
    assert.deepEqual(bodyJson(signIn), { name: 'ann', password: 'correct horse battery', client: 'cli', totp: '123456' });
    assert.deepEqual(JSON.parse(await readFile(join(dir, 'slipway', 'cli.json'), 'utf8')), { url: api.url, token: TOKEN });
    assert.doesNotMatch(io.stdout.text + io.stderr.text, new RegExp(`correct horse|${TOKEN}`));
    assert.equal(await main(['login', api.url], testIO({ XDG_CONFIG_HOME: dir })), 2, 'neither --token nor --user');
  });

  it('saves nothing when the server refuses the token', async () => {
    const dir = await home();
    const io = testIO({ XDG_CONFIG_HOME: dir });
    assert.equal(await main(['login', api.url, '--token', 'nope'], io), 3);
    await assert.rejects(stat(join(dir, 'slipway', 'cli.json')), { code: 'ENOENT' });
  });
});
