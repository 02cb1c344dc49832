// `slipway exec` on the FakeStepBackend and a fake builder: live output, summary, exit codes, cleanup, secrets, built-ins, Ctrl-C.

import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { FakeStepBackend, type FakeStepBackendOptions } from '../../adapters/docker/fake-step-backend.js';
import { asSlipwayError, exitCodeOf, SlipwayError } from '../../core/errors.js';
import type { BuildRequest } from '../../core/ports/engine.js';
import type { Command } from '../command.js';
import type { Git } from '../local/git-meta.js';
import { localName } from '../local/names.js';
import { sourceTree } from '../testing/source-tree.js';
import { testIO, type TestIO } from '../testing/test-io.js';
import { untar } from '../testing/untar.js';
import { execCommandWith } from './exec.js';

interface Harness {
  readonly command: Command;
  readonly backend: FakeStepBackend;
  readonly builds: { request: BuildRequest; context: Buffer }[];
  readonly exports: { volume: string; path: string; image: string }[];
  /** Fires the Ctrl-C handler exec installed. */
  interrupt(): void;
  readonly counts: { connects: number; installed: number; removed: number };
}

interface HarnessOptions extends FakeStepBackendOptions {
  readonly git?: Git;
  readonly buildError?: SlipwayError;
}

const notACheckout: Git = async () => null;

function harness(options: HarnessOptions = {}): Harness {
  const backend = new FakeStepBackend(options);
  const builds: Harness['builds'] = [];
  const exports: Harness['exports'] = [];
  const counts = { connects: 0, installed: 0, removed: 0 };
  let handler: (() => void) | null = null;
  const command = execCommandWith({
    connect: async () => {
      counts.connects++;
      return {
        backend,
        builder: {
          build: async (request) => {
            const chunks: Buffer[] = [];
            for await (const chunk of request.context) chunks.push(Buffer.from(chunk as Buffer));
            builds.push({ request, context: Buffer.concat(chunks) });
            request.onLog('Step 1/1 : FROM busybox\n');
            if (options.buildError) throw options.buildError;
          },
        },
        exporter: {
          exportWorkspace: async (volume, path, image) => {
            exports.push({ volume, path, image });
            return Readable.from([Buffer.from('workspace tar')]);
          },
        },
      };
    },
    onInterrupt: (h) => {
      counts.installed++;
      handler = h;
      return () => {
        counts.removed++;
        handler = null;
      };
    },
    git: options.git ?? notACheckout,
    runId: () => 4242,
  });
  return { command, backend, builds, exports, counts, interrupt: () => handler?.() };
}

/** Runs the command like main does: a thrown error is printed and becomes its exit code. */
async function run(h: Harness, args: string[], io: TestIO): Promise<number> {
  try {
    return await h.command.run(args, io);
  } catch (err) {
    const e = asSlipwayError(err);
    io.stderr.write(`error: ${e.message}\n${e.hint === undefined ? '' : `hint: ${e.hint}\n`}`);
    return exitCodeOf(e.kind);
  }
}

/** A source tree (Dockerfile, src/, .git) with this pipeline file. */
async function project(pipeline: string | null, file = '.slipway.yml'): Promise<string> {
  const dir = await sourceTree();
  if (pipeline !== null) await writeFile(join(dir, file), pipeline);
  return dir;
}

/** Durations vary: shown as 0.0s. */
const stable = (text: string) => text.replace(/\b\d+\.\ds\b/g, '0.0s');

const envOf = (h: Harness, step: string) => {
  const call = h.backend.calls.find((c) => c.method === 'startStep' && c.name === step);
  return call?.method === 'startStep' ? call.environment : undefined;
};

const TWO_STEPS = `steps:
  - name: greet
    image: busybox:latest
    commands: [echo hi]
  - name: check
    image: busybox:latest
    commands: [cat out.txt, echo done]
`;

describe('slipway exec', () => {
  it('runs the steps in order, prints their output live as [step] lines and a summary, exits 0, leaves nothing', async () => {
    const dir = await project(TWO_STEPS);
    const h = harness({ scripts: { greet: { output: 'hello from ${CI_REPO}\nsource: ${file:/workspace/src/index.js}git: [${file:/workspace/.git/HEAD}]' } } });
    const io = testIO({}, dir);
    assert.equal(await run(h, [], io), 0, io.stderr.text);
    assert.equal(
      stable(io.stdout.text),
      [
        `--> exec of ${dir} (not a git checkout, branch main, event push)`,
        '--> pipeline from .slipway.yml (slipway)',
        '--> pipeline slipway',
        '--> step greet',
        `[greet] hello from ${basename(dir)}`,
        '[greet] source: console.log("hi")',
        '[greet] git: []',
        '--> step greet succeeded (0.0s)',
        '--> step check',
        '[check] + cat out.txt',
        '[check] + echo done',
        '--> step check succeeded (0.0s)',
        '',
        'STEP   STATUS     DURATION',
        'greet  succeeded  0.0s',
        'check  succeeded  0.0s',
        'succeeded',
        '',
      ].join('\n'),
    );
    assert.equal(io.stderr.text, '');
    const setup = h.backend.calls.find((c) => c.method === 'setup');
    assert.deepEqual(setup, { method: 'setup', app: `exec-${localName(dir)}`, runId: 4242, pipeline: 'slipway', reuseWorkspace: null });
    assert.deepEqual(
      h.backend.calls.filter((c) => c.method === 'teardown' || c.method === 'removeWorkspace').map((c) => c.method === 'teardown' && c.keepWorkspace),
      [false],
    );
    assert.equal(h.backend.volumeExists(`slipway-exec-ws-exec-${localName(dir)}-4242-slipway`), false);
    const env = envOf(h, 'greet');
    assert.equal(env?.CI_REPO, basename(dir));
    assert.equal(env?.CI_COMMIT_SHA, '0'.repeat(40));
    assert.equal(env?.CI_COMMIT_BRANCH, 'main');
    assert.equal(env?.CI_PIPELINE_EVENT, 'push');
    assert.deepEqual(h.counts, { connects: 1, installed: 1, removed: 1 });
  });

  it('a failing step: its exit code, later steps skipped, exit 6, and the kept workspace is removed', async () => {
    const dir = await project(TWO_STEPS);
    const h = harness({ scripts: { greet: { exitCode: 3, output: 'boom\n' } } });
    const io = testIO({}, dir);
    assert.equal(await run(h, [], io), 6);
    const out = stable(io.stdout.text);
    assert.match(out, /\[greet\] boom\n\[greet\] --> step greet exited with code 3\n--> step greet failed \(0\.0s\)\n--> step check skipped: an earlier step failed\n/);
    assert.ok(
      out.endsWith('STEP   STATUS   DURATION  NOTE\ngreet  failed   0.0s\ncheck  skipped  -         an earlier step failed\n'),
      out,
    );
    assert.equal(io.stderr.text, 'error: step greet of pipeline slipway failed\nhint: see the step output above; fix it, then run "slipway exec" again\n');
    const volume = `slipway-exec-ws-exec-${localName(dir)}-4242-slipway`;
    const ends = h.backend.calls.filter((c) => c.method === 'teardown' || c.method === 'removeWorkspace');
    assert.deepEqual(ends, [
      { method: 'teardown', workspace: 'slipway-exec-run-4242-slipway', keepWorkspace: true },
      { method: 'removeWorkspace', volume },
    ]);
    assert.equal(h.backend.volumeExists(volume), false);
    assert.equal(h.counts.removed, 1);
  });

  it('--secret values reach from_secret and are masked in the output; --secret NAME reads the environment', async () => {
    const pipeline = `steps:
  - name: use
    image: busybox:latest
    environment:
      TOKEN:
        from_secret: api_token
    commands: [./use.sh]
`;
    const dir = await project(pipeline);
    const value = 'hunter2-very-secret-value';
    for (const [args, env] of [[['--secret', `api_token=${value}`], {}], [['--secret', 'api_token'], { api_token: value }]] as const) {
      const h = harness({ scripts: { use: { output: 'token=${TOKEN}\n' } } });
      const io = testIO(env, dir);
      assert.equal(await run(h, [...args], io), 0, io.stderr.text);
      assert.equal(envOf(h, 'use')?.TOKEN, value);
      assert.match(io.stdout.text, /^\[use\] token=\*\*\*$/m);
      assert.ok(!io.stdout.text.includes(value) && !io.stderr.text.includes(value));
    }
  });

  it('a secret that was not given, or given badly, stops before Docker is asked', async () => {
    const dir = await project(`steps:
  - name: use
    image: busybox:latest
    environment:
      TOKEN:
        from_secret: api_token
    commands: [./use.sh]
`);
    const cases: [string[], RegExp][] = [
      [[], /^error: use in pipeline slipway needs secret api_token, which was not given\nhint: give it with --secret api_token=… \(or --secret api_token to take \$api_token\)\n$/],
      [['--secret', 'api_token'], /^error: --secret api_token: the environment has no variable api_token\n/],
      [['--secret', 'api_token=a', '--secret', 'api_token=b'], /^error: --secret api_token is given twice\n/],
      [['--secret', '9x=1'], /^error: invalid secret name "9x"\n/],
    ];
    for (const [args, message] of cases) {
      const h = harness();
      const io = testIO({}, dir);
      assert.equal(await run(h, args, io), 2, args.join(' '));
      assert.match(io.stderr.text, message);
      assert.equal(h.counts.connects, 0);
    }
  });

  it('built-ins without container steps: build from the directory (no .git), push/deploy/notify skipped and succeeded', async () => {
    const dir = await project(`steps:
  - name: build
    build:
      args: { MODE: local }
  - name: push
    push: {}
  - name: deploy
    deploy: {}
  - name: tell
    notify:
      url: https://hooks.example.com/x
`);
    const h = harness();
    const io = testIO({}, dir);
    assert.equal(await run(h, [], io), 0, io.stderr.text);
    assert.equal(h.backend.calls.length, 0, 'no workspace without container steps');
    assert.equal(h.builds.length, 1);
    const build = h.builds[0];
    const name = localName(dir);
    assert.equal(build?.request.tag, `slipway-exec/${name}:latest`);
    assert.deepEqual(build?.request.buildArgs, { MODE: 'local' });
    assert.deepEqual(build?.request.labels, { 'io.slipway.exec': basename(dir), 'io.slipway.commit': '0'.repeat(40) });
    const files = await untar(build?.context ?? Buffer.alloc(0));
    assert.ok(files.has('Dockerfile') && files.has('src/index.js') && files.has('.slipway.yml'), [...files.keys()].join(', '));
    assert.ok(![...files.keys()].some((p) => p.split('/').includes('.git')));
    const out = stable(io.stdout.text);
    assert.match(out, new RegExp(`\\[build\\] --> building slipway-exec/${name}:latest from ${dir}\n\\[build\\] Step 1/1 : FROM busybox\n\\[build\\] --> built slipway-exec/${name}:latest\n`));
    for (const kind of ['push', 'deploy']) assert.match(out, new RegExp(`^\\[${kind}\\] exec does not ${kind}; skipped\n--> step ${kind} succeeded`, 'm'));
    assert.match(out, /^\[tell\] exec does not notify; skipped$/m);
    assert.match(out, /^push    succeeded  0\.0s      not run by exec \(no push\)$/m);
    assert.match(out, /^tell    succeeded  0\.0s      not run by exec \(no notify\)$/m);
    assert.ok(out.endsWith(`succeeded: built slipway-exec/${name}:latest\n`), out);
  });

  it('with container steps the build context is the workspace after them, exported with the pipeline image', async () => {
    const dir = await project(`steps:
  - name: compile
    image: busybox:latest
    commands: [make]
  - name: image
    build:
      context: dist
`);
    const h = harness();
    const io = testIO({}, dir);
    assert.equal(await run(h, [], io), 0, io.stderr.text);
    assert.deepEqual(h.exports, [{ volume: `slipway-exec-ws-exec-${localName(dir)}-4242-slipway`, path: 'dist', image: 'busybox:latest' }]);
    assert.equal(h.builds[0]?.context.toString(), 'workspace tar');
    assert.match(io.stdout.text, /\[image\] --> building slipway-exec\/\S+:latest from dist in the workspace\n/);
  });

  it('no pipeline file: the default pipeline, build then push and deploy skipped', async () => {
    const dir = await project(null);
    const h = harness();
    const io = testIO({}, dir);
    assert.equal(await run(h, [], io), 0, io.stderr.text);
    assert.match(io.stdout.text, /^--> no pipeline file: the default pipeline \(build, push, deploy\)\n--> pipeline default\n--> step build\n/m);
    assert.equal(h.builds.length, 1);
    assert.match(stable(io.stdout.text), /^build   succeeded  0\.0s\npush    succeeded  0\.0s      not run by exec \(no push\)\ndeploy  succeeded  0\.0s      not run by exec \(no deploy\)\n/m);
  });

  it('a build that fails exits 6 and later steps are skipped; no Dockerfile exits 2', async () => {
    const dir = await project(null);
    const h = harness({ buildError: new SlipwayError('build_failed', 'the image did not build: RUN make returned 2', { hint: 'push again' }) });
    const io = testIO({}, dir);
    assert.equal(await run(h, [], io), 6);
    assert.equal(io.stderr.text, 'error: the image did not build: RUN make returned 2\nhint: fix the Dockerfile step shown above, then run "slipway exec" again\n');
    assert.match(io.stdout.text, /^--> step push skipped: an earlier step failed$/m);
    const bare = await mkdtemp(join(tmpdir(), 'slipway-exec-bare-'));
    await writeFile(join(bare, 'main.go'), 'package main\n');
    const none = testIO({}, bare);
    assert.equal(await run(harness(), [], none), 2);
    assert.match(none.stderr.text, new RegExp(`^error: no Dockerfile in ${bare}\n`));
  });

  it('Ctrl-C cancels: the running step is killed, the workspace torn down, exit 9, the handler removed', async () => {
    const dir = await project(TWO_STEPS);
    const h = harness({ scripts: { greet: { output: 'working\n', sleepMs: 60_000 } } });
    const io = testIO({}, dir);
    io.stdout.onWrite = (text) => {
      if (text.includes('[greet] working')) setImmediate(() => h.interrupt());
    };
    const started = Date.now();
    assert.equal(await run(h, [], io), 9);
    assert.ok(Date.now() - started < 10_000);
    assert.match(io.stdout.text, /--> cancelling: stopping the containers and removing the workspace/);
    assert.match(stable(io.stdout.text), /--> step greet cancelled \(0\.0s\)\n--> step check skipped: run cancelled\n/);
    assert.equal(io.stderr.text, 'error: exec was cancelled; its containers, networks and workspaces were removed\n');
    assert.deepEqual(h.backend.calls.find((c) => c.method === 'teardown'), { method: 'teardown', workspace: 'slipway-exec-run-4242-slipway', keepWorkspace: false });
    assert.equal(h.backend.volumeExists(`slipway-exec-ws-exec-${localName(dir)}-4242-slipway`), false);
    assert.deepEqual(h.counts, { connects: 1, installed: 1, removed: 1 });
  });

  it('an invalid pipeline prints its findings like lint and exits 2 without running anything', async () => {
    const dir = await project('steps:\n  - name: t\n    imgae: busybox\n    commands: [true]\n');
    const h = harness();
    const io = testIO({}, dir);
    assert.equal(await run(h, [], io), 2);
    assert.equal(io.stdout.text, '.slipway.yml:3:5: error: unknown key "imgae" in step "t"; did you mean "image"?\n');
    assert.equal(io.stderr.text, 'error: .slipway.yml (slipway) has an error; nothing was run\nhint: fix the file; "slipway lint" checks it without running anything\n');
    assert.equal(h.counts.connects, 0);
  });

  it('a named file is the pipeline; other pipeline files are not read', async () => {
    const dir = await project('steps: [broken', '.drone.yml');
    await writeFile(join(dir, 'try.yml'), TWO_STEPS);
    const h = harness();
    const io = testIO({}, dir);
    assert.equal(await run(h, ['try.yml'], io), 0, io.stderr.text);
    assert.match(io.stdout.text, /^--> pipeline from try\.yml \(slipway\)$/m);
  });

  describe('run metadata', () => {
    const COMMIT = '3f2a9c1d7e5b4a60918273645546372819a0b1c2';
    const git: Git = async (args) => {
      const answers: Record<string, string> = {
        'rev-parse --verify --quiet HEAD': COMMIT,
        'rev-parse --abbrev-ref HEAD': 'feature/login',
        'log -1 --format=%an <%ae>%n%B HEAD': 'Ann Example <ann@example.com>\nFix the login\n\nLonger text.\n',
        'describe --tags HEAD': 'v1.4.0-3-g3f2a9c1',
      };
      return answers[args.join(' ')] ?? null;
    };

    it('commit, branch, message and author from the git checkout; --param reaches the steps', async () => {
      const dir = await project(TWO_STEPS);
      const h = harness({ git });
      const io = testIO({}, dir);
      assert.equal(await run(h, ['--param', 'TARGET=staging'], io), 0, io.stderr.text);
      assert.match(io.stdout.text, /^--> exec of .+ \(commit 3f2a9c1, branch feature\/login, event push\)$/m);
      const env = envOf(h, 'greet');
      assert.equal(env?.CI_COMMIT_SHA, COMMIT);
      assert.equal(env?.CI_COMMIT_BRANCH, 'feature/login');
      assert.equal(env?.CI_COMMIT_REF, 'refs/heads/feature/login');
      assert.equal(env?.CI_COMMIT_MESSAGE, 'Fix the login\n\nLonger text.');
      assert.equal(env?.CI_COMMIT_AUTHOR, 'Ann Example <ann@example.com>');
      assert.equal(env?.TARGET, 'staging');
    });

    it('--branch and --event pick the when-filters', async () => {
      const dir = await project(`steps:
  - name: always
    image: busybox:latest
    commands: [true]
  - name: main-only
    image: busybox:latest
    commands: [true]
    when:
      branch: main
  - name: manual-only
    image: busybox:latest
    commands: [true]
    when:
      event: manual
`);
      const h = harness({ git });
      const io = testIO({}, dir);
      assert.equal(await run(h, [], io), 0, io.stderr.text);
      assert.deepEqual(h.backend.calls.filter((c) => c.method === 'startStep').map((c) => c.method === 'startStep' && c.name), ['always']);
      const manual = harness({ git });
      const io2 = testIO({}, dir);
      assert.equal(await run(manual, ['--branch', 'main', '--event', 'manual'], io2), 0, io2.stderr.text);
      assert.deepEqual(manual.backend.calls.filter((c) => c.method === 'startStep').map((c) => c.method === 'startStep' && c.name), ['always', 'main-only', 'manual-only']);
      assert.equal(envOf(manual, 'always')?.CI_PIPELINE_EVENT, 'manual');
    });

    it('a tag event takes --tag (or the tag on HEAD); without one, or with a bad event, exit 2', async () => {
      const dir = await project(TWO_STEPS);
      const h = harness({ git });
      const io = testIO({}, dir);
      assert.equal(await run(h, ['--tag', 'v2.0.0'], io), 0, io.stderr.text);
      const env = envOf(h, 'greet');
      assert.deepEqual([env?.CI_PIPELINE_EVENT, env?.CI_COMMIT_TAG, env?.CI_COMMIT_REF], ['tag', 'v2.0.0', 'refs/tags/v2.0.0']);
      assert.match(io.stdout.text, /\(commit 3f2a9c1, tag v2\.0\.0, event tag\)/);
      const untagged = testIO({}, dir);
      assert.equal(await run(harness({ git }), ['--event', 'tag'], untagged), 2);
      assert.equal(untagged.stderr.text, 'error: HEAD has no tag to run a tag event for\nhint: give one with --tag, e.g. --tag v1.2.3\n');
      const bad = testIO({}, dir);
      assert.equal(await run(harness({ git }), ['--event', 'pull_request'], bad), 2);
      assert.equal(bad.stderr.text, 'error: invalid --event "pull_request"\nhint: give one of push, tag, manual\n');
    });
  });
});
