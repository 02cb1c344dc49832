// `slipway runs …`: list (and its `runs <app>` shorthand), logs, steps, step-log, cancel, restart and start.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunStep } from '../../../core/ports/store.js';
import { main } from '../../main.js';
import { bodyJson, fail, json, startFakeApi, text, TOKEN, type FakeApi } from '../../testing/fake-api.js';
import { appStatus, run } from '../../testing/fixtures.js';
import { apiIO, testIO } from '../../testing/test-io.js';
import { parseParams } from './start.js';
import { duration } from './steps.js';

function step(overrides: Partial<RunStep> = {}): RunStep {
  return {
    runId: 12,
    pipeline: 'build',
    name: 'test',
    status: 'succeeded',
    skipReason: null,
    position: 0,
    exitCode: 0,
    error: null,
    startedAt: '2024-05-01T12:30:00.000Z',
    finishedAt: '2024-05-01T12:30:42.000Z',
    ...overrides,
  };
}

describe('slipway runs', () => {
  let api: FakeApi;
  before(async () => {
    api = await startFakeApi({
      'GET /api/apps/hello/runs': json({ runs: [run({ id: 13, status: 'failed', source: 'git', ref: 'main' }), run({ id: 12, status: 'succeeded' })] }),
      'GET /api/apps/logs/runs': json({ runs: [] }),
      'GET /api/runs/12/logs': text('Step 1/2 : FROM node:20-slim\n', 'release #3 is healthy\n'),
      'GET /api/runs/12/steps': json({
        steps: [
          step({ name: 'deps', position: 0, finishedAt: '2024-05-01T12:30:00.400Z' }),
          step({ name: 'test', position: 1, status: 'failed', exitCode: 1, startedAt: '2024-05-01T12:30:00.000Z', finishedAt: '2024-05-01T12:33:07.000Z' }),
          step({ name: 'lint', position: 2, status: 'failed', exitCode: null, error: 'timed out after 10 min', finishedAt: '2024-05-01T13:35:00.000Z' }),
          step({ pipeline: 'deploy', name: 'push', position: 3, status: 'skipped', exitCode: null, skipReason: 'branch main does not match "release/*"', startedAt: null, finishedAt: null }),
        ],
        waitingFor: null,
      }),
      'GET /api/runs/14/steps': json({ steps: [], waitingFor: 'waiting for run 13 of hello to finish (one run per app at a time)' }),
      'GET /api/runs/15/steps': json({ steps: [], waitingFor: null }),
      'GET /api/runs/16/steps': json({ steps: [step({ status: 'pending', exitCode: null, startedAt: null, finishedAt: null })], waitingFor: 'waiting to be picked up' }),
      'GET /api/runs/99/steps': fail('not_found', 'no run 99', 'list runs with `slipway runs <app>`'),
      'GET /api/runs/12/steps/build/test/logs': text('npm test\n', '1 failing\n'),
      'GET /api/runs/12/steps/my%20pipe/a%2Fb/logs': text('odd names\n'),
      'GET /api/runs/12/steps/build/ghost/logs': text(),
      'POST /api/runs/14/cancel': json({ run: run({ id: 14, status: 'cancelled', phase: 'done' }) }),
      'POST /api/runs/13/cancel': json({ run: run({ id: 13, status: 'running', phase: 'build' }) }),
      'POST /api/runs/12/cancel': fail('conflict', 'run 12 already succeeded'),
      // Restarts: 13 → 40 (succeeds), 20 → 41 (fails to build); 12 cannot be restarted.
      'POST /api/runs/13/restart': json({ run: run({ id: 40, source: 'git', ref: 'refs/heads/main' }) }, 202),
      'POST /api/runs/20/restart': json({ run: run({ id: 41, source: 'git', ref: 'refs/heads/main' }) }, 202),
      'POST /api/runs/13/promote': json({ run: run({ id: 42, source: 'git', ref: 'refs/heads/main' }) }, 202),
      'POST /api/runs/12/restart': fail('conflict', 'run 12 cannot be restarted from a failed step', 'push again to start fresh'),
      'GET /api/runs/40/logs': text('[build/test] skipped: succeeded in run #13\n', '[build/lint] ok\n'),
      'GET /api/runs/40': json({ run: run({ id: 40, status: 'succeeded', phase: 'done' }) }),
      'GET /api/runs/41/logs': text('[build/test] 1 failing\n'),
      'GET /api/runs/41': json({ run: run({ id: 41, status: 'failed', error: { kind: 'build_failed', message: 'step test of pipeline build exited 1' } }) }),
      'GET /api/apps/hello': json(appStatus()),
      // Manual runs: hello → 50 (followed: cancelled), ghost → 404.
      'POST /api/apps/hello/runs': (req, res) => {
        const body = bodyJson(req) as { branch?: string };
        return json({ run: run({ id: 50, source: 'git', ref: `refs/heads/${body.branch ?? 'main'}` }) }, 202)(req, res);
      },
      'GET /api/runs/50/logs': text('[build/test] started\n'),
      'GET /api/runs/50': json({ run: run({ id: 50, status: 'cancelled', phase: 'done' }) }),
      'POST /api/apps/ghost/runs': fail('not_found', 'no app named "ghost"'),
    });
  });
  after(() => api.close());

  describe('list', () => {
    const TABLE = [
      'RUN  STATUS     SOURCE    COMMIT   CREATED            ERROR',
      '#13  failed     git main  9f8e7d6  2024-05-01 12:30Z',
      '#12  succeeded  upload    9f8e7d6  2024-05-01 12:30Z',
      '',
    ].join('\n');

    it('"runs <app>" and "runs list <app>" print the same table from GET /api/apps/:app/runs', async () => {
      for (const argv of [['runs', 'hello'], ['runs', 'list', 'hello']]) {
        const io = await apiIO(api);
        assert.equal(await main(argv, io), 0, io.stderr.text);
        assert.deepEqual([api.requests.at(-1)?.method, api.requests.at(-1)?.path], ['GET', '/api/apps/hello/runs']);
        assert.equal(api.requests.at(-1)?.headers.authorization, `Bearer ${TOKEN}`);
        assert.equal(io.stdout.text, TABLE);
      }
    });

    it('the long form lists an app named like a subcommand', async () => {
      const io = await apiIO(api);
      assert.equal(await main(['runs', 'list', 'logs'], io), 0, io.stderr.text);
      assert.equal(api.requests.at(-1)?.path, '/api/apps/logs/runs');
      assert.equal(io.stdout.text, 'logs has no runs yet\n');
    });

    it('rejects extra arguments and unknown flags of the shorthand with exit 2', async () => {
      const io = await apiIO(api);
      const before = api.requests.length;
      assert.equal(await main(['runs', 'hello', 'extra'], io), 2);
      assert.match(io.stderr.text, /error: unexpected argument "extra"/);
      assert.equal(await main(['runs', 'hello', '--all'], io), 2);
      assert.equal(api.requests.length, before);
    });
  });

  describe('help', () => {
    it('runs, runs --help and help runs print the group usage naming every subcommand', async () => {
      for (const argv of [['runs'], ['runs', '--help'], ['help', 'runs'], ['runs', 'help'], ['runs', 'steps', '--help']]) {
        const io = testIO({});
        assert.equal(await main(argv, io), 0, argv.join(' '));
        assert.match(io.stdout.text, /^usage: slipway runs <app>\n {7}slipway runs <command> \[options\]\n/, argv.join(' '));
        assert.match(io.stdout.text, /short for "slipway runs list <app>"/);
        for (const line of ['list <app>', 'logs <id> \\[-f\\]', 'steps <id>', 'step-log <id> <pipeline> <step> \\[-f\\]', 'cancel <id>', 'restart <id> \\[-f\\]', 'start <app> \\[--branch <b>\\] \\[--param <NAME=value>\\]… \\[-f\\]']) {
          assert.match(io.stdout.text, new RegExp(`^  ${line}[ \\n]`, 'm'), `${line} in ${argv.join(' ')}`);
        }
      }
    });

    it('runs help <command> prints that command usage', async () => {
      const io = testIO({});
      assert.equal(await main(['runs', 'help', 'restart'], io), 0);
      assert.match(io.stdout.text, /^usage: slipway runs restart <id> \[-f\]\n/);
      assert.match(io.stdout.text, /-f, --follow/);
    });
  });

  describe('logs', () => {
    it('prints the run log; -f asks the server to stream it until the run ends; #12 is 12', async () => {
      const io = await apiIO(api);
      assert.equal(await main(['runs', 'logs', '12'], io), 0, io.stderr.text);
      assert.equal(api.requests.at(-1)?.path, '/api/runs/12/logs');
      assert.equal(io.stdout.text, 'Step 1/2 : FROM node:20-slim\nrelease #3 is healthy\n');
      assert.equal(await main(['runs', 'logs', '#12', '-f'], io), 0);
      assert.equal(api.requests.at(-1)?.path, '/api/runs/12/logs?follow=1');
      assert.equal(await main(['runs', 'logs', '--follow', '12'], io), 0);
      assert.equal(api.requests.at(-1)?.path, '/api/runs/12/logs?follow=1');
    });

    it('rejects a missing or non-numeric id before calling the server', async () => {
      const io = await apiIO(api);
      const before = api.requests.length;
      assert.equal(await main(['runs', 'logs'], io), 2);
      assert.match(io.stderr.text, /error: missing <id>/);
      assert.equal(await main(['runs', 'logs', 'latest'], io), 2);
      assert.match(io.stderr.text, /error: invalid run id "latest"/);
      assert.equal(api.requests.length, before);
    });

    it('an unknown run exits 4', async () => {
      const io = await apiIO(api);
      assert.equal(await main(['runs', 'logs', '77'], io), 4);
    });
  });

  describe('steps', () => {
    it('prints pipeline, step, status, exit code, duration and the skip reason or error', async () => {
      const io = await apiIO(api);
      assert.equal(await main(['runs', 'steps', '12'], io), 0, io.stderr.text);
      assert.deepEqual([api.requests.at(-1)?.method, api.requests.at(-1)?.path], ['GET', '/api/runs/12/steps']);
      assert.equal(
        io.stdout.text,
        [
          'PIPELINE  STEP  STATUS     EXIT  DURATION  NOTE',
          'build     deps  succeeded  0     <1s',
          'build     test  failed     1     3m07s',
          'build     lint  failed     -     1h05m     timed out after 10 min',
          'deploy    push  skipped    -     -         branch main does not match "release/*"',
          '',
          `see the failed step's log with "slipway runs step-log 12 build test"`,
          '',
        ].join('\n'),
      );
    });

    it('says what a queued run is waiting for', async () => {
      const io = await apiIO(api);
      assert.equal(await main(['runs', 'steps', '14'], io), 0);
      assert.equal(io.stdout.text, 'run #14 has no steps yet\nqueued: waiting for run 13 of hello to finish (one run per app at a time)\n');
      const planned = await apiIO(api);
      assert.equal(await main(['runs', 'steps', '16'], planned), 0);
      assert.match(planned.stdout.text, /^build +test +pending +- +-$/m);
      assert.ok(planned.stdout.text.endsWith('\nqueued: waiting to be picked up\n'), planned.stdout.text);
    });

    it('points a run without pipeline steps to its log; an unknown run exits 4', async () => {
      const io = await apiIO(api);
      assert.equal(await main(['runs', 'steps', '15'], io), 0);
      assert.equal(io.stdout.text, 'run #15 has no pipeline steps; see its log with "slipway runs logs 15"\n');
      const missing = await apiIO(api);
      assert.equal(await main(['runs', 'steps', '99'], missing), 4);
      assert.equal(missing.stderr.text, 'error: no run 99\nhint: list runs with `slipway runs <app>`\n');
    });

    it('formats durations', () => {
      const at = (s: number) => new Date(Date.UTC(2024, 4, 1) + s * 1000).toISOString();
      assert.equal(duration({ startedAt: at(0), finishedAt: at(0.2) }), '<1s');
      assert.equal(duration({ startedAt: at(0), finishedAt: at(59) }), '59s');
      assert.equal(duration({ startedAt: at(0), finishedAt: at(60) }), '1m00s');
      assert.equal(duration({ startedAt: at(0), finishedAt: at(3600 + 5 * 60 + 30) }), '1h05m');
      assert.equal(duration({ startedAt: at(0), finishedAt: null }), '-');
      assert.equal(duration({ startedAt: null, finishedAt: null }), '-');
    });
  });

  describe('step-log', () => {
    it('prints one step log, with pipeline and step escaped in the path', async () => {
      const io = await apiIO(api);
      assert.equal(await main(['runs', 'step-log', '12', 'build', 'test'], io), 0, io.stderr.text);
      assert.deepEqual([api.requests.at(-1)?.method, api.requests.at(-1)?.path], ['GET', '/api/runs/12/steps/build/test/logs']);
      assert.equal(io.stdout.text, 'npm test\n1 failing\n');
      assert.equal(io.stderr.text, '');
      const odd = await apiIO(api);
      assert.equal(await main(['runs', 'step-log', '12', 'my pipe', 'a/b'], odd), 0, odd.stderr.text);
      assert.equal(odd.stdout.text, 'odd names\n');
    });

    it('-f asks the server to follow the step', async () => {
      const io = await apiIO(api);
      assert.equal(await main(['runs', 'step-log', '12', 'build', 'test', '-f'], io), 0, io.stderr.text);
      assert.equal(api.requests.at(-1)?.path, '/api/runs/12/steps/build/test/logs?follow=1');
      assert.equal(io.stdout.text, 'npm test\n1 failing\n');
    });

    it('says so on stderr when the step has no log', async () => {
      const io = await apiIO(api);
      assert.equal(await main(['runs', 'step-log', '12', 'build', 'ghost'], io), 0);
      assert.equal(io.stdout.text, '');
      assert.equal(io.stderr.text, 'step ghost of pipeline build in run #12 has no log (see the steps with "slipway runs steps 12")\n');
    });

    it('needs all three arguments', async () => {
      const io = await apiIO(api);
      assert.equal(await main(['runs', 'step-log', '12', 'build'], io), 2);
      assert.match(io.stderr.text, /error: missing <step>/);
    });
  });

  describe('cancel', () => {
    it('POSTs /api/runs/:id/cancel and says whether the run was dropped or is being stopped', async () => {
      const queued = await apiIO(api);
      assert.equal(await main(['runs', 'cancel', '14'], queued), 0, queued.stderr.text);
      assert.deepEqual([api.requests.at(-1)?.method, api.requests.at(-1)?.path], ['POST', '/api/runs/14/cancel']);
      assert.equal(queued.stdout.text, 'cancelled run #14 of hello before it started\n');
      const running = await apiIO(api);
      assert.equal(await main(['runs', 'cancel', '#13'], running), 0);
      assert.equal(running.stdout.text, 'cancelling run #13 of hello: its current step is being stopped\nsee where it ended with "slipway runs steps 13"\n');
    });

    it('a finished run exits 5', async () => {
      const io = await apiIO(api);
      assert.equal(await main(['runs', 'cancel', '12'], io), 5);
      assert.equal(io.stderr.text, 'error: run 12 already succeeded\n');
    });
  });

  describe('promote', () => {
    it('POSTs /api/runs/:id/promote with the environment and says how to follow the new run', async () => {
      const io = await apiIO(api);
      assert.equal(await main(['runs', 'promote', '13', 'production'], io), 0, io.stderr.text);
      const last = api.requests.at(-1);
      assert.deepEqual([last?.method, last?.path, bodyJson(last)], ['POST', '/api/runs/13/promote', { environment: 'production' }]);
      assert.match(io.stdout.text, /^run #42 queued for hello: promotion of run #13 to production\n/);
    });

    it('needs the environment', async () => {
      const io = await apiIO(api);
      assert.equal(await main(['runs', 'promote', '13'], io), 2);
      assert.match(io.stderr.text, /environment/);
    });
  });

  describe('restart', () => {
    it('POSTs /api/runs/:id/restart and says how to follow the new run', async () => {
      const io = await apiIO(api);
      assert.equal(await main(['runs', 'restart', '13'], io), 0, io.stderr.text);
      assert.deepEqual([api.requests.at(-1)?.method, api.requests.at(-1)?.path], ['POST', '/api/runs/13/restart']);
      assert.equal(
        io.stdout.text,
        'run #40 queued for hello: restart of run #13 from its failed step\n' +
          'follow it with "slipway runs logs 40 -f", or see its steps with "slipway runs steps 40"\n',
      );
    });

    it('-f follows the new run like deploy and exits 0 when it succeeds', async () => {
      const io = await apiIO(api);
      assert.equal(await main(['runs', 'restart', '13', '-f'], io), 0, io.stderr.text);
      const paths = api.requests.slice(-4).map((r) => `${r.method} ${r.path}`);
      assert.deepEqual(paths, ['POST /api/runs/13/restart', 'GET /api/runs/40/logs?follow=1', 'GET /api/runs/40', 'GET /api/apps/hello']);
      assert.equal(
        io.stdout.text,
        '[build/test] skipped: succeeded in run #13\n[build/lint] ok\nsucceeded: hello release #3 is live at https://hello.example.com\n',
      );
      assert.match(io.stderr.text, /run #40 queued for hello; following its log/);
    });

    it('-f exits with the code of the new run failure', async () => {
      const io = await apiIO(api);
      assert.equal(await main(['runs', 'restart', '20', '--follow'], io), 6);
      assert.equal(io.stdout.text, '[build/test] 1 failing\n');
      assert.match(io.stderr.text, /error: run #41 failed: step test of pipeline build exited 1\n/);
    });

    it('a run that cannot be restarted exits 5 without following', async () => {
      const io = await apiIO(api);
      assert.equal(await main(['runs', 'restart', '12', '-f'], io), 5);
      assert.equal(api.requests.at(-1)?.path, '/api/runs/12/restart');
      assert.equal(io.stderr.text, 'error: run 12 cannot be restarted from a failed step\nhint: push again to start fresh\n');
    });
  });

  describe('start', () => {
    it('POSTs an empty request without flags, so the deploy branch is run', async () => {
      const io = await apiIO(api);
      assert.equal(await main(['runs', 'start', 'hello'], io), 0, io.stderr.text);
      const req = api.requests.at(-1);
      assert.deepEqual([req?.method, req?.path], ['POST', '/api/apps/hello/runs']);
      assert.equal(req?.headers['content-type'], 'application/json');
      assert.deepEqual(bodyJson(req), {});
      assert.equal(
        io.stdout.text,
        'run #50 queued for hello: manual run of main\n' +
          'follow it with "slipway runs logs 50 -f", or see its steps with "slipway runs steps 50"\n',
      );
    });

    it('binds --branch and repeated --param into the request', async () => {
      const io = await apiIO(api);
      const argv = ['runs', 'start', 'hello', '--branch', 'release/2', '--param', 'TARGET=staging', '--param', 'QUERY=a=b', '--param', 'EMPTY='];
      assert.equal(await main(argv, io), 0, io.stderr.text);
      assert.deepEqual(bodyJson(api.requests.at(-1)), { branch: 'release/2', params: { TARGET: 'staging', QUERY: 'a=b', EMPTY: '' } });
      assert.match(io.stdout.text, /^run #50 queued for hello: manual run of release\/2$/m);
    });

    it('-f follows the run and exits with its outcome (cancelled: 9)', async () => {
      const io = await apiIO(api);
      assert.equal(await main(['runs', 'start', 'hello', '-f'], io), 9);
      assert.deepEqual(api.requests.slice(-3).map((r) => r.path), ['/api/apps/hello/runs', '/api/runs/50/logs?follow=1', '/api/runs/50']);
      assert.equal(io.stdout.text, '[build/test] started\n');
      assert.match(io.stderr.text, /error: run #50 cancelled: cancelled\n/);
    });

    it('rejects bad parameters and branches before calling the server', async () => {
      const before = api.requests.length;
      for (const bad of [['--param', 'TARGET'], ['--param', '=x'], ['--param', '1X=a'], ['--param', 'A=1', '--param', 'A=2'], ['--branch', '../x']]) {
        const io = await apiIO(api);
        assert.equal(await main(['runs', 'start', 'hello', ...bad], io), 2, bad.join(' '));
        assert.match(io.stderr.text, /^error: (invalid --param|--param A is given twice|invalid branch)/);
      }
      assert.equal(api.requests.length, before);
    });

    it('an unknown app exits 4', async () => {
      const io = await apiIO(api);
      assert.equal(await main(['runs', 'start', 'ghost'], io), 4);
    });

    it('parseParams keeps a parameter named __proto__ as a parameter', () => {
      const params = parseParams(['__proto__=x']);
      assert.deepEqual(Object.keys(params), ['__proto__']);
      assert.equal(JSON.stringify(params), '{"__proto__":"x"}');
    });
  });
});
