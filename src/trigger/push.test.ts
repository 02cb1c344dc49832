import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SlipwayError } from '../core/errors.js';
import type { GitPort } from '../core/ports/git.js';
import type { App } from '../core/types.js';
import { PushTrigger } from './push.js';

const app = { name: 'shop', branch: 'main' } as App;
const commit = 'c'.repeat(40);

function trigger(readFiles: GitPort['readFiles']): { push: PushTrigger; queued: string[] } {
  const queued: string[] = [];
  const push = new PushTrigger({
    repos: { resolveCommit: async (_a, c) => c, readFiles },
    enqueue: async (req) => {
      queued.push(req.ref ?? '');
      return { id: queued.length } as never;
    },
  });
  return { push, queued };
}

describe('push trigger', () => {
  it('another branch without pipeline files stores the commit and runs nothing', async () => {
    const { push, queued } = trigger(async () => []);
    const { run, note } = await push.receive(app, 'refs/heads/feature', commit);
    assert.equal(run, null);
    assert.match(note, /no pipeline file/);
    assert.deepEqual(queued, []);
  });

  it('pipeline files over a cap still queue the run (it fails with the cap\'s message), not "no pipeline file"', async () => {
    const { push, queued } = trigger(async () => {
      throw new SlipwayError('invalid_input', 'commit cccccccccccc has 101 pipeline files; at most 100 are read');
    });
    const { run } = await push.receive(app, 'refs/heads/feature', commit);
    assert.notEqual(run, null);
    assert.deepEqual(queued, ['refs/heads/feature']);
  });

  it('git failing is an error, not "no pipeline file"', async () => {
    const { push } = trigger(async () => {
      throw new SlipwayError('dependency', 'git cat-file failed');
    });
    await assert.rejects(push.receive(app, 'refs/heads/feature', commit), /git cat-file failed/);
  });
});
