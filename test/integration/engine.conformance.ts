// The one EnginePort conformance suite: the fake and the Docker adapter (real dockerd + Swarm) must both pass it.

import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, it } from 'node:test';
import type { ImageBehaviour } from '../../src/adapters/docker/fake-engine.js';
import { packDirectory } from '../../src/cli/tarball.js';
import { SlipwayError } from '../../src/core/errors.js';
import { normalizeDefinition } from '../../src/adapters/docker/convert.js';
import type { EnginePort, ServiceDefinition } from '../../src/core/ports/engine.js';
import type { RegistryCredentials } from '../../src/core/ports/registry.js';
import type { TaskState } from '../../src/core/types.js';

export interface EngineSubject {
  readonly engine: EnginePort;
  /** An attachable overlay network the suite's services join. */
  readonly network: string;
  /** Unique per run: every service name and image tag the suite makes starts with it. */
  readonly prefix: string;
  readonly credentials: RegistryCredentials;
  /** Pause between two polls while waiting for tasks to change. */
  readonly pollMs: number;
  /** Give up waiting for a task state after this long. */
  readonly waitMs: number;
  /** Polls that show nothing else happens (long enough for dockerd to have started a task if it were going to). */
  readonly settlePolls: number;
  /** Tells a fake what an image built from the suite's Dockerfile does; a real engine learns it from the Dockerfile. */
  script(tag: string, behaviour: ImageBehaviour, logs?: readonly string[]): void;
  /** Tells a fake what tasks of a matching definition do (e.g. its health check fails); a real engine runs it. */
  scriptDefinition(match: (definition: ServiceDefinition) => boolean, behaviour: ImageBehaviour): void;
  /** Removes everything the subject made (services first, then the network and images). */
  dispose(): Promise<void>;
}

/** A process that prints one line, then waits; exits at once on SIGTERM so retiring it takes no grace period. */
const serve = (line: string) => `["sh", "-c", "trap 'exit 0' TERM; echo ${line}; sleep 3600 & wait"]`;

const DOCKERFILES: Record<string, { text: string; behaviour: ImageBehaviour; logs?: string[] }> = {
  v1: { text: `FROM busybox:latest\nCMD ${serve('hello-from-task')}\n`, behaviour: 'healthy', logs: ['hello-from-task'] },
  v2: { text: `FROM busybox:latest\nCMD ${serve('hello-from-v2')}\n`, behaviour: 'healthy', logs: ['hello-from-v2'] },
  crash: { text: 'FROM busybox:latest\nCMD ["sh", "-c", "echo crashing; exit 1"]\n', behaviour: 'crash' },
  // A health check that never reports within the test: Swarm keeps the task "starting".
  hang: {
    text: `FROM busybox:latest\nHEALTHCHECK --interval=600s --start-period=600s CMD true\nCMD ${serve('hanging')}\n`,
    behaviour: 'hang',
  },
  broken: { text: 'FROM busybox:latest\nRUN echo about-to-fail && exit 3\n', behaviour: 'build-fails' },
};

export interface ConformanceOptions {
  /**
   * Tests this implementation is known to fail, by key, with the reason: they still run and report, as node:test
   * todos, so the suite stays green until the bug is fixed and the entry removed.
   */
  readonly knownBugs?: Readonly<Partial<Record<CaseKey, string>>>;
}

export type CaseKey =
  | 'build' | 'build-fails' | 'missing' | 'idempotent' | 'update' | 'crash' | 'hang' | 'logs' | 'remove'
  | 'definition' | 'template' | 'healthcheck' | 'exits' | 'invalid-image' | 'labels-networks'
  | 'stack-definition' | 'swarm-files' | 'stack-lookups';

export function engineConformance(open: () => Promise<EngineSubject>, options: ConformanceOptions = {}): void {
  const check = (key: CaseKey, title: string, fn: () => Promise<void> | void) => it(title, { todo: options.knownBugs?.[key] }, fn);
  let s: EngineSubject;
  let serial = 0;
  const images: Record<string, string> = {};
  const buildLogs: Record<string, string> = {};

  const tag = (name: string) => `${s.prefix}-${name}:conformance`;
  const definition = (serviceName: string, image: string): ServiceDefinition => ({
    serviceName,
    image,
    replicas: 1,
    env: { PORT: '3000', GREETING: 'hi there' },
    network: s.network,
    labels: { 'io.slipway.test': s.prefix },
  });
  const newService = () => `${s.prefix}-svc${++serial}`;

  async function build(name: string): Promise<{ lines: string[]; error: unknown }> {
    const spec = DOCKERFILES[name];
    assert.ok(spec, name);
    s.script(tag(name), spec.behaviour, spec.logs);
    const dir = await mkdtemp(join(tmpdir(), 'slipway-engine-conf-'));
    const lines: string[] = [];
    try {
      await writeFile(join(dir, 'Dockerfile'), spec.text);
      const context = Readable.from([await packDirectory(dir)]);
      await s.engine.build({ context, tag: tag(name), labels: { 'io.slipway.test': s.prefix }, onLog: (l) => lines.push(l) });
      images[name] = tag(name);
      return { lines, error: null };
    } catch (error) {
      return { lines, error };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>): Promise<T> {
    const deadline = Date.now() + s.waitMs;
    for (;;) {
      const value = await probe();
      if (value !== null && value !== undefined && value !== false) return value;
      if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, s.pollMs));
    }
  }

  const image = (name: string) => {
    const ref = images[name];
    assert.ok(ref, `image ${name} was not built`);
    return ref;
  };
  const runningTask = (serviceName: string, img: string) =>
    until(`a running task of ${img}`, async () =>
      (await s.engine.listTasks(serviceName)).find((t) => t.image === img && t.state === 'running' && t.desiredState === 'running'));
  const settle = async (serviceName: string) => {
    let tasks: TaskState[] = [];
    for (let i = 0; i < s.settlePolls; i++) {
      tasks = await s.engine.listTasks(serviceName);
      await new Promise((r) => setTimeout(r, s.pollMs));
    }
    return tasks;
  };

  before(async () => {
    s = await open();
    for (const name of ['v1', 'v2', 'crash', 'hang']) {
      const { lines, error } = await build(name);
      if (error) throw error;
      buildLogs[name] = lines.join('');
    }
  });
  after(async () => {
    await s?.dispose();
  });

  check('build', 'build streams the builder output line by line and tags the image', () => {
    const log = buildLogs.v1 ?? '';
    assert.match(log, /^Step 1\/\d+ : FROM busybox:latest\n/);
    assert.ok(log.includes(`Successfully tagged ${tag('v1')}`), log);
  });

  check('build-fails', "build fails with SlipwayError('build_failed') carrying the builder's error, after streaming the lines before it", async () => {
    const { lines, error } = await build('broken');
    assert.ok(error instanceof SlipwayError, String(error));
    assert.equal(error.kind, 'build_failed');
    assert.match(error.message, /returned a non-zero code/);
    assert.ok(lines.some((l) => l.startsWith('Step 1/')), lines.join(''));
  });

  check('missing', 'a service that does not exist: inspectService is null, listTasks is empty, removeService is fine', async () => {
    const name = newService();
    assert.equal(await s.engine.inspectService(name), null);
    assert.deepEqual(await s.engine.listTasks(name), []);
    await s.engine.removeService(name);
    await assert.rejects(async () => {
      for await (const _ of s.engine.serviceLogs(name, { follow: false, tail: 10 })) assert.fail('no lines expected');
    }, /not found/i);
  });

  check('idempotent', 'deployService creates the service; the same definition again returns false and starts no task', async () => {
    const name = newService();
    assert.equal(await s.engine.deployService(definition(name, image('v1')), s.credentials), true);
    const first = await runningTask(name, image('v1'));
    const state = await s.engine.inspectService(name);
    assert.ok(state);
    assert.equal(state.image, image('v1'));
    assert.equal(state.replicas, 1);
    assert.equal(state.updateState, null, 'a created service was never updated');

    assert.equal(await s.engine.deployService(definition(name, image('v1')), s.credentials), false);
    const tasks = await settle(name);
    assert.deepEqual(tasks.map((t) => t.id), [first.id]);
    assert.equal((await s.engine.inspectService(name))?.version, state.version, 'no update was sent');
  });

  check('update', 'an update to another image starts the new task first and retires the old one once it runs', async () => {
    const name = newService();
    await s.engine.deployService(definition(name, image('v1')), s.credentials);
    const old = await runningTask(name, image('v1'));
    assert.equal(await s.engine.deployService(definition(name, image('v2')), s.credentials), true);
    const tasks = await until('the old task to shut down after the new one runs', async () => {
      const now = await s.engine.listTasks(name);
      const fresh = now.find((t) => t.image === image('v2'));
      const prior = now.find((t) => t.id === old.id);
      assert.ok(prior, 'the old task is still listed');
      if (fresh?.state !== 'running') assert.equal(prior.state, 'running', 'start-first: the old task runs until the new one does');
      return fresh?.state === 'running' && prior.state === 'shutdown' ? now : null;
    });
    assert.equal(tasks[0]?.image, image('v2'), 'newest first');
    assert.equal(tasks.find((t) => t.id === old.id)?.desiredState, 'shutdown');
    const created = tasks.map((t) => Date.parse(t.createdAt));
    assert.ok(created.every((ms) => Number.isFinite(ms)), tasks.map((t) => t.createdAt).join(', '));
    assert.deepEqual(created, [...created].sort((a, b) => b - a), 'listTasks is newest first');
    const state = await s.engine.inspectService(name);
    assert.equal(state?.image, image('v2'));
    assert.ok(state.updateState === 'updating' || state.updateState === 'completed', String(state.updateState));
  });

  check('crash', 'a crashing update fails its task with the exit error and pauses; the old task keeps running; putting the old definition back keeps one serving', async () => {
    const name = newService();
    await s.engine.deployService(definition(name, image('v1')), s.credentials);
    const old = await runningTask(name, image('v1'));
    assert.equal(await s.engine.deployService(definition(name, image('crash')), s.credentials), true);
    const failed = await until('the crashing task to fail', async () =>
      (await s.engine.listTasks(name)).find((t) => t.image === image('crash') && t.state === 'failed'));
    assert.equal(failed.error, 'task: non-zero exit (1)');
    const paused = await until('Swarm to pause the update', async () => {
      const state = await s.engine.inspectService(name);
      return state?.updateState === 'paused' ? state : null;
    });
    assert.match(paused.updateMessage ?? '', /update paused/);
    assert.equal((await s.engine.listTasks(name)).find((t) => t.id === old.id)?.state, 'running', 'start-first kept the old task');

    // Putting the old definition back: usually the old task simply stays, but a crash-looping task that restarts
    // around the update can make Swarm start a fresh task of the old image too; either way one keeps serving.
    assert.equal(await s.engine.deployService(definition(name, image('v1')), s.credentials), true);
    const tasks = await until('one task of the old image and nothing else running', async () => {
      const now = await s.engine.listTasks(name);
      assert.ok(now.some((t) => t.image === image('v1') && t.state === 'running'), 'a task of the old image runs throughout');
      const running = now.filter((t) => t.state === 'running');
      const settled = running.length === 1 && running[0]?.image === image('v1') && running[0].desiredState === 'running';
      return settled && !now.some((t) => t.image === image('crash') && t.desiredState === 'running') ? now : null;
    });
    assert.equal(tasks.filter((t) => t.image === image('v1') && t.desiredState === 'running').length, 1);
  });

  check('hang', 'a task whose health check never reports stays starting, and the old task keeps running', async () => {
    const name = newService();
    await s.engine.deployService(definition(name, image('v1')), s.credentials);
    const old = await runningTask(name, image('v1'));
    await s.engine.deployService(definition(name, image('hang')), s.credentials);
    const tasks = await settle(name);
    assert.equal(tasks[0]?.image, image('hang'));
    assert.equal(tasks[0]?.state, 'starting');
    assert.equal(tasks.find((t) => t.id === old.id)?.state, 'running');
  });

  check('logs', "serviceLogs returns the tasks' stdout as lines; following ends when the signal aborts", async () => {
    const name = newService();
    await s.engine.deployService(definition(name, image('v1')), s.credentials);
    await runningTask(name, image('v1'));
    const lines = await until('the task to have printed its line', async () => {
      const got: string[] = [];
      for await (const line of s.engine.serviceLogs(name, { follow: false, tail: 100 })) got.push(line);
      return got.length > 0 ? got : null;
    });
    assert.deepEqual(lines, ['hello-from-task\n']);

    const abort = new AbortController();
    const followed: string[] = [];
    for await (const line of s.engine.serviceLogs(name, { follow: true, tail: 100, signal: abort.signal })) {
      followed.push(line);
      abort.abort();
    }
    assert.deepEqual(followed, ['hello-from-task\n']);
  });

  /** The suite's image with its command replaced: the same image under another task template. */
  const withCommand = (serviceName: string, line: string): ServiceDefinition => ({
    ...definition(serviceName, image('v1')),
    entrypoint: ['sh', '-c'],
    command: [`trap 'exit 0' TERM; echo ${line}; sleep 3600 & wait`],
  });

  check('definition', 'inspectDefinition gives back what was deployed (command, health check, alias, labels), and deploying it again changes nothing', async () => {
    const name = newService();
    assert.equal(await s.engine.inspectDefinition(name), null);
    const def: ServiceDefinition = {
      ...withCommand(name, 'defined'),
      healthcheck: { test: ['CMD-SHELL', 'true'], intervalMs: 1000, timeoutMs: 1500, retries: 2, startPeriodMs: 30_000 },
      aliases: ['api'],
      labels: { 'io.slipway.test': s.prefix, tier: 'service' },
      containerLabels: { 'io.slipway.test': s.prefix, tier: 'container' },
    };
    assert.equal(await s.engine.deployService(def, null), true);
    const back = await s.engine.inspectDefinition(name);
    assert.deepEqual(back, normalizeDefinition(def));
    assert.equal(await s.engine.deployService(back, null), false);
  });

  check('template', 'listTaskProgress: after an update that keeps the image, the old task is not current; it stops once the new one runs; replicas alone keep the template', async () => {
    const name = newService();
    await s.engine.deployService(withCommand(name, 'one'), s.credentials);
    const first = await runningTask(name, image('v1'));
    assert.equal((await s.engine.listTaskProgress(name)).find((t) => t.id === first.id)?.current, true);
    assert.equal(await s.engine.deployService(withCommand(name, 'two'), s.credentials), true);
    await until('the new task to run and the old one to stop', async () => {
      const now = await s.engine.listTaskProgress(name);
      const old = now.find((t) => t.id === first.id);
      assert.ok(old, 'the old task is still listed');
      assert.equal(old.current, false);
      const fresh = now.find((t) => t.current);
      if (fresh?.state !== 'running') assert.equal(old.state, 'running', 'start-first');
      return fresh?.state === 'running' && old.state !== 'running';
    });
    await s.engine.deployService({ ...withCommand(name, 'two'), replicas: 2 }, s.credentials);
    const scaled = await until('two current tasks running', async () => {
      const now = await s.engine.listTaskProgress(name);
      return now.filter((t) => t.current && t.state === 'running').length === 2 ? now : null;
    });
    assert.ok(scaled.filter((t) => t.state === 'running').every((t) => t.current));
  });

  check('healthcheck', "a definition's health check that fails fails the task as unhealthy, whatever the image's", async () => {
    const name = newService();
    const failing = (d: ServiceDefinition) => d.healthcheck?.test[1] === 'false';
    s.scriptDefinition(failing, 'unhealthy');
    // `exec sleep` ignores SIGTERM (PID 1), so Swarm kills it: exit 137, "failed" (a process exiting 0 on SIGTERM
    // would end "complete": see the next case).
    const sick: ServiceDefinition = { ...withCommand(name, 'sick'), command: ['echo sick; exec sleep 3600'] };
    await s.engine.deployService({ ...sick, healthcheck: { test: ['CMD', 'false'], intervalMs: 1000, timeoutMs: null, retries: 1, startPeriodMs: null } }, null);
    const failed = await until('the task to fail as unhealthy', async () => (await s.engine.listTasks(name)).find((t) => t.state === 'failed'));
    assert.match(failed.error ?? '', /unhealthy container/);
  });

  check('exits', 'an update whose task ends with exit code 0: the task is complete (finished), and Swarm pauses the update', async () => {
    const name = newService();
    await s.engine.deployService(withCommand(name, 'staying'), s.credentials);
    await runningTask(name, image('v1'));
    const ending: ServiceDefinition = { ...withCommand(name, 'leaving'), command: ['echo bye'] };
    s.scriptDefinition((d) => d.command?.[0] === 'echo bye', 'exits');
    await s.engine.deployService(ending, s.credentials);
    const done = await until('the new task to end', async () => (await s.engine.listTaskProgress(name)).find((t) => t.current && t.state === 'complete'));
    assert.equal(done.message, 'finished');
    assert.equal(done.error, null);
    await until('Swarm to pause the update', async () => (await s.engine.inspectService(name))?.updateState === 'paused');
  });

  check('invalid-image', 'an image that is no valid reference is refused with the engine\'s reason, and nothing is created', async () => {
    const name = newService();
    await assert.rejects(s.engine.deployService(definition(name, 'Not An Image'), null), (err: unknown) => {
      assert.ok(err instanceof SlipwayError, String(err));
      assert.equal(err.kind, 'dependency');
      assert.match(err.message, new RegExp(`creating service ${name} failed: .*"Not An Image" is not a valid repository/tag`));
      return true;
    });
    assert.equal(await s.engine.inspectService(name), null);
  });

  check('labels-networks', 'networks and services are found by label; a network goes once its services are removed; removing it again is fine', async () => {
    const name = newService();
    const network = `${s.prefix}-extra`;
    const labels = { 'io.slipway.test': s.prefix, 'io.slipway.conformance': name };
    await s.engine.ensureNetwork(network, labels);
    await s.engine.ensureNetwork(network, labels);
    assert.deepEqual(await s.engine.listNetworks(labels), [{ name: network, labels }]);
    await s.engine.deployService({ ...withCommand(name, 'labelled'), network, labels }, null);
    await s.engine.deployService(definition(newService(), image('v1')), null);
    assert.deepEqual((await s.engine.listServices(labels)).map((x) => [x.serviceName, x.labels]), [[name, labels]]);
    await runningTask(name, image('v1'));
    await s.engine.removeService(name);
    await s.engine.removeNetwork(network);
    // Swarm keeps a node-local copy of a removed overlay network for a few seconds.
    await until('the network to be gone', async () => (await s.engine.listNetworks(labels)).length === 0);
    await s.engine.removeNetwork(network);
  });

  check('remove', 'removeService removes the service and its tasks; removing it again is fine', async () => {
    const name = newService();
    await s.engine.deployService(definition(name, image('v1')), s.credentials);
    await runningTask(name, image('v1'));
    await s.engine.removeService(name);
    assert.equal(await s.engine.inspectService(name), null);
    assert.deepEqual(await s.engine.listTasks(name), []);
    await s.engine.removeService(name);
  });

  // --- Stack services (issue 13): every Swarm setting, configs, secrets, volumes, networks with options ---

  /** A definition using every Swarm setting a stack service may carry; its config, secret and network must exist. */
  const stackDefinition = (name: string, names: { config: string; secret: string; network: string; volume: string }, port: number): ServiceDefinition => ({
    ...withCommand(name, 'stack'),
    moreNetworks: [{ network: names.network, aliases: ['db-client'] }],
    mounts: [
      { type: 'volume', source: names.volume, target: '/data', readOnly: false, noCopy: false, volumeOptions: { driver: 'local', driverOpts: {}, labels: { 'io.slipway.test': s.prefix } } },
      { type: 'tmpfs', target: '/scratch', sizeBytes: 1 << 20, mode: 0o1777 },
    ],
    configs: [{ name: names.config, target: '/etc/app.conf', uid: '0', gid: '0', mode: 0o444 }],
    secrets: [{ name: names.secret, target: 'pw', uid: '0', gid: '0', mode: 0o400 }],
    ports: [{ target: 8000, published: port, protocol: 'tcp', mode: 'host' }],
    placement: { constraints: ['node.role==manager'], preferences: ['node.labels.zone'], maxReplicasPerNode: 2 },
    resources: { limits: { nanoCpus: 5e8, memoryBytes: 64 << 20, pids: 200 }, reservations: { nanoCpus: null, memoryBytes: 8 << 20 } },
    restartPolicy: { condition: 'on-failure', delayMs: 1000, maxAttempts: 3, windowMs: 60_000 },
    updateConfig: { parallelism: 2, delayMs: 1000, failureAction: 'pause', monitorMs: 3000, maxFailureRatio: 0.5, order: 'stop-first' },
    rollbackConfig: { parallelism: 1, delayMs: 0, failureAction: 'continue', monitorMs: 5000, maxFailureRatio: 0, order: 'start-first' },
    endpointMode: 'dnsrr',
    user: '1000:1000', workingDir: '/tmp', hostname: 'stack-host', hosts: ['10.0.0.9 db.local'],
    dns: { servers: ['127.0.0.11'], search: ['corp'], options: ['ndots:2'] },
    init: true, readOnly: true, stopGracePeriodMs: 3000, stopSignal: 'SIGINT',
    ulimits: { nofile: { soft: 1024, hard: 2048 } }, sysctls: { 'net.core.somaxconn': '1024' },
    capAdd: ['NET_ADMIN'], capDrop: ['MKNOD'], logDriver: { name: 'json-file', options: { 'max-size': '10m' } },
  });

  check('stack-definition', 'every Swarm setting of a stack service: the task runs the current template, inspectDefinition gives it all back, and deploying that changes nothing', async () => {
    const name = newService();
    const labels = { 'io.slipway.test': s.prefix };
    const names = { config: `${name}-conf`, secret: `${name}-pw`, network: `${name}-back`, volume: `${name}-data` };
    await s.engine.ensureSwarmFile('config', names.config, Buffer.from('listen 8000;\n'), labels);
    await s.engine.ensureSwarmFile('secret', names.secret, Buffer.from('hunter2'), labels);
    await s.engine.ensureNetworkWith(names.network, labels, { attachable: true, internal: true, driverOpts: { encrypted: '' }, ipam: null });
    const def = stackDefinition(name, names, 20000 + (Date.now() % 20000));
    assert.equal(await s.engine.deployService(def, null), true);
    const task = await until('a task of the current template running', async () =>
      (await s.engine.listTaskProgress(name)).find((t) => t.current && t.state === 'running'));
    assert.ok(task.current);
    const back = await s.engine.inspectDefinition(name);
    assert.deepEqual(back, normalizeDefinition(def));
    assert.equal(await s.engine.deployService(back, null), false, 'put back as read: no update');
    const volumes = await s.engine.listVolumes(labels);
    assert.ok(volumes.some((v) => v.name === names.volume && v.driver === 'local'), 'Swarm made the named volume from the mount, with its labels');
    const ports = await s.engine.publishedPorts();
    assert.ok(ports.some((p) => p.serviceName === name && p.published === def.ports?.[0]?.published && p.mode === 'host'), JSON.stringify(ports));
    // A change of one setting only (the config) starts a task of a new template.
    await s.engine.ensureSwarmFile('config', `${names.config}2`, Buffer.from('listen 8001;\n'), labels);
    assert.equal(await s.engine.deployService({ ...def, configs: [{ ...def.configs![0]!, name: `${names.config}2` }] }, null), true);
    await until('the task of the new template running and the old one gone', async () => {
      const now = await s.engine.listTaskProgress(name);
      return now.some((t) => t.current && t.state === 'running') && !now.some((t) => !t.current && t.state === 'running');
    });
    await s.engine.removeService(name);
  });

  check('swarm-files', 'configs and secrets: created once under a name, found by label, refused while in use, removed after, removing again is fine', async () => {
    const name = newService();
    const labels = { 'io.slipway.test': s.prefix, 'io.slipway.conformance': name };
    for (const kind of ['config', 'secret'] as const) {
      const file = `${name}-${kind}`;
      assert.equal(await s.engine.objectExists(kind, file), false);
      await s.engine.ensureSwarmFile(kind, file, Buffer.from('v1'), labels);
      await s.engine.ensureSwarmFile(kind, file, Buffer.from('v1'), labels);
      assert.equal(await s.engine.objectExists(kind, file), true);
      assert.deepEqual(await s.engine.listSwarmFiles(kind, labels), [{ name: file, labels }]);
    }
    const ref = (n: string) => [{ name: n, target: 'f', uid: '0', gid: '0', mode: 0o444 }];
    await s.engine.deployService({ ...withCommand(name, 'files'), configs: [{ ...ref(`${name}-config`)[0]!, target: '/f' }], secrets: ref(`${name}-secret`) }, null);
    await assert.rejects(s.engine.removeSwarmFile('config', `${name}-config`), (err: unknown) => err instanceof SlipwayError && err.kind === 'dependency' && /in use/.test(err.message));
    await assert.rejects(s.engine.deployService({ ...withCommand(newService(), 'nofile'), secrets: ref(`${name}-missing`) }, null), /secret .*-missing does not exist/);
    await s.engine.removeService(name);
    for (const kind of ['config', 'secret'] as const) {
      await until(`${kind} to be removable`, async () => s.engine.removeSwarmFile(kind, `${name}-${kind}`).then(() => true, () => false));
      assert.deepEqual(await s.engine.listSwarmFiles(kind, labels), []);
      await s.engine.removeSwarmFile(kind, `${name}-${kind}`);
    }
  });

  check('stack-lookups', 'nodes, external objects, image lookups: at least one ready manager; an image only built here is local without a digest; unknown names do not exist', async () => {
    const nodes = await s.engine.listNodes();
    assert.ok(nodes.some((n) => n.role === 'manager' && n.state === 'ready' && n.availability === 'active'), JSON.stringify(nodes));
    const built = await s.engine.resolveImage(image('v1'), null);
    assert.equal(built.local, true);
    assert.equal(built.digest, null);
    assert.ok(built.reason);
    const nowhere = await s.engine.resolveImage(`${s.prefix}-nowhere:1`, null);
    assert.deepEqual([nowhere.local, nowhere.digest], [false, null]);
    for (const kind of ['network', 'volume', 'config', 'secret'] as const) assert.equal(await s.engine.objectExists(kind, `${s.prefix}-absent`), false, kind);
    assert.equal(await s.engine.objectExists('network', s.network), true);
    assert.equal(typeof (await s.engine.routingMesh()), 'boolean');
  });
}
