import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiClient, ApiError, errorFrom, isQuiet } from './api-client.js';

interface Sent {
  readonly url: string;
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body: unknown;
  readonly cache: string | undefined;
}

/** A client whose fetch answers from `answer` and records what was sent. */
function client(answer: (url: string) => Response | Promise<Response>, token: string | null = 'sw_t') {
  const sent: Sent[] = [];
  const signedOut: ApiError[] = [];
  const api = new ApiClient({
    token: () => token,
    onUnauthorized: (err) => signedOut.push(err),
    fetch: async (path, init) => {
      sent.push({
        url: path, method: init.method ?? 'GET', headers: { ...init.headers },
        body: init.body === undefined ? undefined : JSON.parse(init.body), cache: init.cache,
      });
      return answer(path);
    },
  });
  return { api, sent, signedOut };
}

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

describe('dashboard API client', () => {
  it('sends the token, percent-escapes app names and JSON-encodes bodies', async () => {
    const { api, sent } = client(() => json({ run: { id: 43 } }, 202));
    const run = await api.rollback('<img src=x>', 2);
    assert.equal(run.id, 43);
    assert.deepEqual(sent, [{
      url: '/api/apps/%3Cimg%20src%3Dx%3E/rollback', method: 'POST', cache: 'no-store',
      headers: { 'Content-Type': 'application/json', Authorization: 'Bearer sw_t' }, body: { release: 2 },
    }]);
  });

  it('reads lists, treating a missing list as empty', async () => {
    const { api } = client((url) => (url === '/api/apps' ? json({ apps: [{ name: 'hello' }] }) : json({})));
    assert.deepEqual((await api.apps()).map((a) => a.name), ['hello']);
    assert.deepEqual(await api.runs('hello'), []);
    assert.deepEqual(await api.releases('hello'), []);
    assert.deepEqual(await api.steps(41), { steps: [], waitingFor: null });
  });

  it("turns the API's error body into an ApiError with kind, field and hint", async () => {
    const { api, signedOut } = client(() => json({ error: { kind: 'conflict', message: 'app "hello" already exists', field: 'name', hint: 'pick another name' } }, 409));
    const err = await api.createApp({ name: 'hello', domain: 'h.example.com' }).catch((e: unknown) => e);
    assert.ok(err instanceof ApiError);
    assert.deepEqual({ ...err, message: err.message }, { status: 409, kind: 'conflict', message: 'app "hello" already exists', hint: 'pick another name', field: 'name', name: 'ApiError' });
    assert.deepEqual(signedOut, []);
  });

  it('reports a 401 as signed out, then rejects with the API error', async () => {
    const { api, signedOut } = client(() => json({ error: { kind: 'unauthorized', message: 'missing or invalid API token' } }, 401));
    const err = await api.run(1).catch((e: unknown) => e);
    assert.ok(err instanceof ApiError && err.status === 401 && err.message === 'missing or invalid API token');
    assert.equal(signedOut.length, 1);
    assert.equal(signedOut[0]?.message, 'Signed out: missing or invalid API token');
    assert.equal(signedOut[0]?.hint, 'Sign in again with a valid API token.');
    assert.equal(isQuiet(err), true);
  });

  it('names a non-JSON answer by its status line, and an unreachable server as a network error', async () => {
    const html = await errorFrom(new Response('<html>bad gateway</html>', { status: 502, statusText: 'Bad Gateway' }));
    assert.equal(html.message, 'The server answered 502 Bad Gateway');
    assert.equal(html.kind, 'http');
    const { api } = client(() => { throw new TypeError('fetch failed'); });
    const err = await api.apps().catch((e: unknown) => e);
    assert.ok(err instanceof ApiError);
    assert.equal(err.kind, 'network');
    assert.match(err.hint ?? '', /press Refresh/);
  });

  it('passes an abort through untouched, as a quiet error', async () => {
    const { api } = client(() => { throw new DOMException('aborted', 'AbortError'); });
    const err = await api.run(3).catch((e: unknown) => e);
    assert.ok(err instanceof Error && err.name === 'AbortError');
    assert.equal(isQuiet(err), true);
    assert.equal(isQuiet(new ApiError(500, 'internal', 'boom')), false);
  });

  it('streams a run log as text, joining a character split across chunks', async () => {
    const bytes = new TextEncoder().encode('Step 1 ✓\nStep 2\n');
    const { api, sent } = client(() => new Response(new ReadableStream({
      start(controller) {
        controller.enqueue(bytes.slice(0, 8)); // cuts the 3-byte ✓ after its first byte
        controller.enqueue(bytes.slice(8));
        controller.close();
      },
    })));
    const chunks: string[] = [];
    for await (const chunk of api.followLog(43, new AbortController().signal)) chunks.push(chunk);
    assert.equal(chunks.join(''), 'Step 1 ✓\nStep 2\n');
    assert.equal(sent[0]?.url, '/api/runs/43/logs?follow=1');
  });

  it('reads a step log as text from its escaped path', async () => {
    const { api, sent } = client(() => new Response('<b>text</b>\n'));
    assert.equal(await api.stepLog(41, 'default', 'lint/a b'), '<b>text</b>\n');
    assert.equal(sent[0]?.url, '/api/runs/41/steps/default/lint%2Fa%20b/logs');
  });
});
