// followRun: waiting past the end of the log stream, surviving a broken stream, and the run's error as the result.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Secret } from '../core/secret.js';
import { SlipwayClient } from './client.js';
import { followRun, runFailure } from './follow-run.js';
import { json, sequence, startFakeApi, text, TOKEN, type FakeApi } from './testing/fake-api.js';
import { appStatus, release, run } from './testing/fixtures.js';
import { testIO } from './testing/test-io.js';

describe('followRun', () => {
  let api: FakeApi;
  let client: SlipwayClient;
  before(async () => {
    api = await startFakeApi({
      // Run 20: the log ends while the run is still deploying; the run finishes two polls later.
      'GET /api/runs/20/logs': text('building\n'),
      'GET /api/runs/20': sequence(
        json({ run: run({ id: 20, status: 'running', phase: 'deploy' }) }),
        json({ run: run({ id: 20, status: 'running', phase: 'deploy' }) }),
        json({ run: run({ id: 20, status: 'succeeded', phase: 'done' }) }),
      ),
      // Run 21: the connection drops in the middle of the log.
      'GET /api/runs/21/logs': (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.write('half a log\n', () => setTimeout(() => res.destroy(), 20));
      },
      'GET /api/runs/21': json({ run: run({ id: 21, status: 'succeeded', phase: 'done', source: 'rollback', targetRelease: 2 }) }),
      'GET /api/apps/hello': json(appStatus({ release: release({ number: 5, rollbackOf: 2 }) })),
    });
    client = new SlipwayClient({ url: api.url, token: new Secret(TOKEN) });
  });
  after(() => api.close());

  it('polls the run until it has finished when the log ends first', async () => {
    const io = testIO({});
    assert.equal(await followRun(client, run({ id: 20 }), io, 5), 0);
    assert.equal(api.requests.filter((r) => r.path === '/api/runs/20').length, 3);
    assert.equal(io.stdout.text, 'building\nsucceeded: hello release #5 (rollback to #2) is live at https://hello.example.com\n');
  });

  it('keeps waiting for the result when the log stream breaks off', async () => {
    const io = testIO({});
    assert.equal(await followRun(client, run({ id: 21 }), io, 5), 0);
    assert.match(io.stdout.text, /^half a log\n/);
    assert.match(io.stderr.text, /log stream interrupted .*; waiting for run #21 to finish/);
  });

  it('turns a finished run into the error the command exits with', () => {
    const failed = run({ status: 'failed', error: { kind: 'rollout_timeout', message: 'not healthy after 120 s', hint: 'raise the deadline' } });
    assert.deepEqual(
      { ...runFailure(failed) },
      { name: 'SlipwayError', kind: 'rollout_timeout', field: undefined, hint: 'raise the deadline' },
    );
    assert.equal(runFailure(failed).message, 'run #12 failed: not healthy after 120 s');
    assert.equal(runFailure(run({ status: 'failed', error: { kind: 'martian', message: 'odd' } })).kind, 'internal');
    assert.equal(runFailure(run({ status: 'cancelled' })).kind, 'cancelled');
  });
});
