// withDeadline: aborts a request that never settles, and keeps the process alive until it does.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { withDeadline } from './deadline.js';

describe('withDeadline', () => {
  it('passes the result through and clears its timer', async () => {
    assert.equal(await withDeadline(10_000, async () => 'done'), 'done');
  });

  it('aborts with a TimeoutError when the request does not settle in time', async () => {
    const never = (signal: AbortSignal) => new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
    await assert.rejects(withDeadline(20, never), (err: unknown) => err instanceof DOMException && err.name === 'TimeoutError');
  });

  it('holds the event loop open for a request that holds nothing itself (the undici hang), unlike AbortSignal.timeout', () => {
    const module = fileURLToPath(new URL('./deadline.ts', import.meta.url));
    // A promise that never settles and has no handle: only the deadline's own timer can end it.
    const script = (kind: string) => `
      const { withDeadline } = await import(${JSON.stringify(module)});
      const hung = (signal) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
      const outcome = ${kind === 'ours' ? 'withDeadline(50, hung)' : 'hung(AbortSignal.timeout(50))'};
      await outcome.catch((e) => console.log('aborted:' + e.name));`;
    const run = (kind: string) => spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script(kind)], { encoding: 'utf8' });
    const ours = run('ours');
    assert.equal(ours.stdout.trim(), 'aborted:TimeoutError', ours.stderr);
    assert.equal(ours.status, 0);
    const builtin = run('builtin');
    assert.equal(builtin.stdout.trim(), '', 'AbortSignal.timeout lets the process exit first');
    assert.equal(builtin.status, 13, 'exit code 13: unsettled top-level await');
  });
});
