// Issue 12, for real: apps on their own overlay networks do not reach each other while the edge reaches all of them
// (attached container-level, again after its task was replaced); pipeline steps cannot reach this host or cloud
// metadata (DOCKER-USER + INPUT rules), fork runs get no way out at all, and ordinary steps keep what they need.
// Metadata is 169.254.169.254 routed into a network namespace this test makes: no packet leaves the machine.

import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { networkInterfaces } from 'node:os';
import { Readable, PassThrough } from 'node:stream';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import Dockerode from 'dockerode';
import { DockerEngine } from '../../src/adapters/docker/docker-engine.js';
import { DockerStepBackend } from '../../src/adapters/docker/step-backend.js';
import { LABELS } from '../../src/adapters/docker/step-names.js';
import { appNetworkLabels, appNetworkName, appServiceName, edgeServiceName, isEdgeManagedNetwork, networkName } from '../../src/core/naming.js';
import type { PipelinePlan, ServicePlan, StepPlan } from '../../src/core/plan.js';
import type { ServiceDefinition } from '../../src/core/ports/engine.js';
import { EdgeNetworks } from '../../src/edge/edge-networks.js';
import { watchEdgeNetworks } from '../../src/infra/edge-watch.js';
import { STEP_CHAIN, ensureStepFirewall } from '../../src/infra/step-firewall.js';
import { ensureOverlayNetwork } from '../../src/infra/swarm.js';
import { ensureTestSwarm } from '../support/swarm.js';
import { FakeEngine } from '../../src/adapters/docker/fake-engine.js';
import { networkAttachConformance } from './network-attach.conformance.js';

const sh = promisify(execFile);
const docker = new Dockerode({ socketPath: '/var/run/docker.sock' });
const IMAGE = 'busybox:latest';
const suffix = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4).toString(36)}`;

/** Runs argv in a running container; resolves with its exit code and output. */
async function execIn(containerId: string, cmd: string[]): Promise<{ code: number; out: string }> {
  const exec = await docker.getContainer(containerId).exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
  const stream = await exec.start({ hijack: true, stdin: false });
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  docker.modem.demuxStream(stream, out, out);
  await new Promise((resolve) => stream.on('end', resolve));
  const info = await exec.inspect();
  return { code: info.ExitCode ?? -1, out: Buffer.concat(chunks).toString() };
}

/** An HTTP GET through busybox nc: true when the answer (within 3 s) holds `marker`, so no other server counts. */
async function reaches(containerId: string, host: string, port: number, marker: string): Promise<boolean> {
  const r = await execIn(containerId, ['sh', '-c', `printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 3 ${host} ${port}`]);
  return r.out.includes(marker);
}

/** Tries until it holds or 90 s passed (a task starts slowly on a loaded machine; a failed try is quick). */
async function eventually(attempt: () => Promise<boolean>): Promise<boolean> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (await attempt()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function runningContainer(service: string, deadlineMs = 60_000, not?: string): Promise<string> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const list = await docker.listContainers({ filters: { label: [`com.docker.swarm.service.name=${service}`], status: ['running'] } });
    const found = list.find((c) => c.Id !== not);
    if (found) return found.Id;
    if (Date.now() > deadline) throw new Error(`no running container of ${service}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

describe('engine port, network attachments: FakeEngine', () => {
  const engine = new FakeEngine();
  networkAttachConformance(async () => ({
    engine,
    startService: async (home) => {
      engine.startContainer('svc', 'c1', [home]);
      return 'svc';
    },
    makeJoinable: async () => undefined,
    dispose: async () => undefined,
  }), 'fake');
});

describe('engine port, network attachments: dockerd', { timeout: 180_000 }, () => {
  const engine = new DockerEngine(docker);
  const prefix = `nisoconf${suffix}`;
  const services: string[] = [];
  networkAttachConformance(async () => {
    await ensureTestSwarm(docker);
    return {
      engine,
      startService: async (home) => {
        const name = `${prefix}-svc`;
        services.push(name);
        await engine.deployService({ serviceName: name, image: IMAGE, replicas: 1, env: {}, network: home, labels: {}, command: ['sleep', '3600'] }, null);
        await runningContainer(name);
        return name;
      },
      // dockerd joins a task's container only to an overlay already on its node: a task on it puts it there.
      makeJoinable: async (network) => {
        const name = `${prefix}-anchor`;
        services.push(name);
        await engine.deployService({ serviceName: name, image: IMAGE, replicas: 1, env: {}, network, labels: {}, command: ['sleep', '3600'] }, null);
        await runningContainer(name);
      },
      dispose: async () => {
        for (const s of services) await engine.removeService(s);
        for (const n of ['home', 'other']) await engine.removeNetwork(`${prefix}-${n}`).catch(() => undefined);
      },
    };
  }, prefix);
});

describe('network isolation: one network per app, the edge on each', { timeout: 240_000 }, () => {
  const instance = `niso${suffix}`;
  const engine = new DockerEngine(docker);
  const edge = edgeServiceName(instance);
  const app = (name: string): ServiceDefinition => ({
    serviceName: appServiceName(instance, name), image: IMAGE, replicas: 1, env: {}, network: appNetworkName(instance, name),
    labels: { 'io.slipway.instance': instance, 'io.slipway.app': name },
    command: ['sh', '-c', `mkdir -p /www && echo served-by-${name} > /www/index.html && exec httpd -f -p 3000 -h /www`],
  });
  let networks: EdgeNetworks;

  before(async () => {
    await ensureTestSwarm(docker);
    await ensureOverlayNetwork(docker, networkName(instance));
    // The edge stands in as a plain service on the shared network (the real Caddy edge: test/integration/edge.test.ts).
    await engine.deployService({ serviceName: edge, image: IMAGE, replicas: 1, env: {}, network: networkName(instance), labels: {}, command: ['sleep', '3600'] }, null);
    for (const name of ['a', 'b']) {
      await engine.ensureNetwork(appNetworkName(instance, name), appNetworkLabels(instance, name));
      await engine.deployService(app(name), null);
    }
    networks = new EdgeNetworks({ engine, edgeService: edge, managed: (n) => isEdgeManagedNetwork(instance, n) });
  });

  after(async () => {
    for (const s of [edge, ...['a', 'b', 'c'].map((n) => app(n).serviceName)]) await engine.removeService(s);
    for (const n of [...['a', 'b', 'c'].map((x) => appNetworkName(instance, x)), networkName(instance)]) await engine.removeNetwork(n).catch(() => undefined);
  });

  it('the edge reaches each app by tasks.<service>; an app reaches neither the other app by name nor by address', async () => {
    const edgeId = await runningContainer(edge);
    const a = await runningContainer(app('a').serviceName);
    const b = await runningContainer(app('b').serviceName);
    assert.equal(await reaches(edgeId, `tasks.${app('a').serviceName}`, 3000, 'served-by-a'), false, 'not attached yet: the edge does not reach a');
    const result = await networks.attach([
      { name: appNetworkName(instance, 'a'), labels: null },
      { name: appNetworkName(instance, 'b'), labels: null },
    ]);
    assert.deepEqual(result.connected, [appNetworkName(instance, 'a'), appNetworkName(instance, 'b')]);
    // Swarm adds the task to its DNS name once it runs; give it a moment on a busy machine.
    for (const name of ['a', 'b']) {
      let ok = false;
      for (let i = 0; i < 20 && !ok; i++) ok = await reaches(edgeId, `tasks.${app(name).serviceName}`, 3000, `served-by-${name}`);
      assert.ok(ok, `the edge reaches app ${name}`);
    }
    assert.equal(await reaches(a, `tasks.${app('b').serviceName}`, 3000, 'served-by-b'), false, 'a does not reach b by name');
    const bNet = await docker.getNetwork(appNetworkName(instance, 'b')).inspect();
    const bSubnet = String(bNet.IPAM?.Config?.[0]?.Subnet ?? '');
    const bIp = (await docker.getContainer(b).inspect()).NetworkSettings.Networks[appNetworkName(instance, 'b')]?.IPAddress;
    assert.ok(bIp && bSubnet, 'b has an address on its network');
    // Off its own network a container's packets take the default route out of the machine: refused here instead, so
    // the probe stays on this machine and tells whether any path inside it leads from a to b.
    await sh('ip', ['route', 'add', 'unreachable', bSubnet]);
    try {
      assert.equal(await reaches(a, bIp, 3000, 'served-by-b'), false, 'a does not reach b by address');
    } finally {
      await sh('ip', ['route', 'del', 'unreachable', bSubnet]);
    }
    assert.equal(await reaches(edgeId, bIp, 3000, 'served-by-b'), true, 'the edge does (same address: the test can tell)');
  });

  it('a replaced edge container is attached again by the watcher', async () => {
    const old = await runningContainer(edge);
    const said: string[] = [];
    const stop = watchEdgeNetworks(networks, { intervalMs: 300, say: (l) => said.push(l) });
    try {
      await docker.getContainer(old).kill();
      const fresh = await runningContainer(edge, 60_000, old);
      let ok = false;
      ok = await eventually(() => reaches(fresh, `tasks.${app('a').serviceName}`, 3000, 'served-by-a'));
      assert.ok(ok, `the new edge container reaches app a (${said.join('; ')})`);
      const info = await docker.getContainer(fresh).inspect();
      assert.ok(Object.keys(info.NetworkSettings.Networks).includes(appNetworkName(instance, 'b')));
    } finally {
      stop();
    }
  });

  it('a new app: its network is pending until its first task runs; the watcher leaves it alone while the task starts, the sync after the deploy joins it', async () => {
    const c = appNetworkName(instance, 'c');
    const wanted = ['a', 'b', 'c'].map((n) => ({ name: appNetworkName(instance, n), labels: appNetworkLabels(instance, n) }));
    const r = await networks.attach(wanted);
    assert.deepEqual(r.pending, [c], 'dockerd: "network not found" until a task on it runs here');
    assert.equal((await docker.getNetwork(c).inspect()).Labels?.['io.slipway.app'], 'c', 'made with its labels');
    // The watcher runs through the whole start of the first task: connecting the edge in that moment made the task
    // fail with "Address already in use" (measured on dockerd 20.10), so it must not touch pending networks.
    const stop = watchEdgeNetworks(networks, { intervalMs: 100, say: () => undefined });
    try {
      await engine.deployService(app('c'), null);
      await runningContainer(app('c').serviceName, 90_000);
      const tasks = await engine.listTasks(app('c').serviceName);
      assert.deepEqual(tasks.filter((t) => t.state === 'failed' || t.state === 'rejected').map((t) => t.error), [], 'no task of the new app failed');
    } finally {
      stop();
    }
    // What the route sync after a deploy does.
    assert.deepEqual((await networks.attach(wanted)).pending, []);
    const edgeId = await runningContainer(edge);
    assert.ok(await eventually(() => reaches(edgeId, `tasks.${app('c').serviceName}`, 3000, 'served-by-c')), 'the edge reaches the new app');
  });

  it('forget detaches the edge, after which the app network can be removed', async () => {
    await engine.removeService(app('b').serviceName);
    await networks.forget([appNetworkName(instance, 'b')]);
    await engine.removeNetwork(appNetworkName(instance, 'b'));
    // The manager removes it at once; this node's copy goes a moment later.
    let left = 1;
    for (let i = 0; i < 150 && left > 0; i++) {
      left = (await docker.listNetworks({ filters: { name: [appNetworkName(instance, 'b')] } })).length;
      if (left > 0) await new Promise((r) => setTimeout(r, 200));
    }
    assert.equal(left, 0);
  });
});

describe('step networks: no host, no metadata; forks no way out', { timeout: 240_000 }, () => {
  const ns = `slwmd${suffix}`.slice(0, 14);
  const hostVeth = `${ns}h`.slice(0, 15);
  const nsVeth = `${ns}n`.slice(0, 15);
  const octet = 100 + Math.floor(Math.random() * 100);
  const hostSide = `10.234.${octet}.1`;
  const outside = `10.234.${octet}.2`;
  const METADATA = '169.254.169.254';
  const app = `nisostep${suffix}`;
  let hostListener: Server;
  let hostPort = 0;
  let nsListener: ChildProcess;
  const backend = new DockerStepBackend(docker);

  before(async () => {
    const firewall = await ensureStepFirewall();
    assert.deepEqual(firewall, { installed: true, problem: null }, 'this machine runs as root with iptables');
    // The host listens on every address (as Pebble or a careless service would).
    hostListener = createServer((s) => s.end('HTTP/1.0 200 OK\r\n\r\nhost\n'));
    await new Promise<void>((r) => hostListener.listen(0, '0.0.0.0', r));
    hostPort = (hostListener.address() as { port: number }).port;
    // "Outside": a namespace with a stand-in for the internet and for cloud metadata, reached through a veth.
    await sh('ip', ['netns', 'add', ns]);
    await sh('ip', ['link', 'add', hostVeth, 'type', 'veth', 'peer', 'name', nsVeth]);
    await sh('ip', ['link', 'set', nsVeth, 'netns', ns]);
    await sh('ip', ['addr', 'add', `${hostSide}/30`, 'dev', hostVeth]);
    await sh('ip', ['link', 'set', hostVeth, 'up']);
    const inNs = (args: string[]) => sh('nsenter', [`--net=/var/run/netns/${ns}`, ...args]);
    await inNs(['ip', 'addr', 'add', `${outside}/30`, 'dev', nsVeth]);
    await inNs(['ip', 'addr', 'add', `${METADATA}/32`, 'dev', 'lo']);
    await inNs(['ip', 'link', 'set', nsVeth, 'up']);
    await inNs(['ip', 'link', 'set', 'lo', 'up']);
    await inNs(['ip', 'route', 'add', 'default', 'via', hostSide]);
    await sh('ip', ['route', 'add', `${METADATA}/32`, 'via', outside, 'dev', hostVeth]);
    nsListener = spawn('nsenter', [`--net=/var/run/netns/${ns}`, process.execPath, '-e',
      "require('net').createServer((s) => s.end('HTTP/1.0 200 OK\\r\\n\\r\\noutside\\n')).listen(80, '0.0.0.0', () => console.log('up'))"], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise((r) => nsListener.stdout?.once('data', r));
  });

  after(async () => {
    nsListener?.kill();
    hostListener?.close();
    await sh('ip', ['route', 'del', `${METADATA}/32`]).catch(() => undefined);
    await sh('ip', ['link', 'del', hostVeth]).catch(() => undefined);
    await sh('ip', ['netns', 'del', ns]).catch(() => undefined);
    const filters = { label: [`${LABELS.app}=${app}`] };
    for (const c of await docker.listContainers({ all: true, filters })) await docker.getContainer(c.Id).remove({ force: true, v: true });
    for (const n of await docker.listNetworks({ filters })) await docker.getNetwork(n.Id).remove().catch(() => undefined);
    for (const v of (await docker.listVolumes({ filters })).Volumes ?? []) await docker.getVolume(v.Name).remove().catch(() => undefined);
  });

  const hostAddress = () => Object.values(networkInterfaces()).flat().find((i) => i?.family === 'IPv4' && !i.internal && !i.address.startsWith('172.'))?.address;
  const location = { file: '.slipway.yml', line: 1, column: 1 };
  const service: ServicePlan = { name: 'web', image: IMAGE, commands: ['mkdir -p /www', 'echo svc-ok > /www/index.html', 'httpd -f -p 8080 -h /www'], entrypoint: null, environment: {}, secrets: [], location };
  const plan: PipelinePlan = { name: 'probe', file: '.slipway.yml', dependsOn: [], workspace: '/workspace', matrix: null, services: [service], steps: [], skip: null };

  /** One step that tries each target and prints "<name>:OK" or "<name>:BLOCKED". */
  async function probe(runId: number, internal: boolean, targets: Record<string, string>): Promise<Record<string, string>> {
    const commands = Object.entries(targets).map(([name, hostPortText]) => {
      const [h, p, marker] = hostPortText.split(' ');
      return `if printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 3 ${h} ${p} | grep -q '${marker}'; then echo ${name}:OK; else echo ${name}:BLOCKED; fi`;
    });
    const step: StepPlan = {
      name: 'probe', kind: 'commands', image: IMAGE, commands: ['sleep 1', ...commands], entrypoint: null, environment: {}, secrets: [], dependsOn: [],
      status: [], skip: null, failure: 'fail', detach: false, timeoutSeconds: null, retry: 0, pull: 'if-not-exists', caches: [], build: null,
      deploy: null, notify: null, location,
    };
    const ref = await backend.setup({ namespace: 'niso', app, runId, pipeline: { ...plan, steps: [step] }, source: () => Readable.from([Buffer.alloc(1024)]), reuseWorkspace: null, internalNetwork: internal });
    try {
      const net = await docker.getNetwork(ref.network).inspect();
      assert.equal(net.Internal, internal);
      const gateway = String(net.IPAM?.Config?.[0]?.Gateway ?? '');
      const out: string[] = [];
      const request = { namespace: 'niso', workspace: ref, pipeline: plan, environment: {}, caches: [], app, onOutput: (t: string) => void out.push(t) };
      await backend.startService(service, { ...request, onOutput: () => undefined });
      const handle = await backend.startStep({ ...step, commands: step.commands.map((c) => c.replace('GATEWAY', gateway)) }, request);
      await backend.wait(handle, new AbortController().signal);
      return Object.fromEntries([...out.join('').matchAll(/^(\w+):(OK|BLOCKED)$/gm)].map((m) => [m[1], m[2]]));
    } finally {
      await backend.teardown(ref, { keepWorkspace: false });
    }
  }

  it('the chain is installed, with one jump first in DOCKER-USER and in INPUT', async () => {
    const { stdout } = await sh('iptables', ['-S', STEP_CHAIN]);
    assert.match(stdout, /-d 169\.254\.0\.0\/16 -j DROP/);
    assert.match(stdout, /--dst-type LOCAL -j DROP/);
    for (const chain of ['DOCKER-USER', 'INPUT']) {
      const rules = (await sh('iptables', ['-S', chain])).stdout.split('\n').filter((l) => l.startsWith('-A '));
      assert.equal(rules[0], `-A ${chain} -i slwstep+ -j ${STEP_CHAIN}`);
      assert.equal(rules.filter((l) => l.includes(STEP_CHAIN)).length, 1);
    }
    assert.equal((await ensureStepFirewall()).installed, true, 'a second start is fine');
  });

  it('control: a container on the default bridge reaches the host, "metadata" and "outside" (the setup works)', async () => {
    const container = await docker.createContainer({ Image: IMAGE, Cmd: ['sleep', '60'], Labels: { [LABELS.app]: app }, HostConfig: { NetworkMode: 'bridge' } });
    await container.start();
    try {
      const gateway = (await container.inspect()).NetworkSettings.Networks.bridge?.Gateway ?? '';
      assert.equal(await reaches(container.id, gateway, hostPort, 'host'), true, 'host gateway');
      assert.equal(await reaches(container.id, METADATA, 80, 'outside'), true, 'metadata stand-in');
      assert.equal(await reaches(container.id, outside, 80, 'outside'), true, 'outside');
    } finally {
      await container.remove({ force: true });
    }
  });

  it('a step reaches the outside and its service, but not the host (gateway, own address) nor metadata', async () => {
    const host = hostAddress();
    assert.ok(host, 'the host has a non-loopback address');
    const r = await probe(1, false, {
      gateway: `GATEWAY ${hostPort} host`, hostaddr: `${host} ${hostPort} host`, metadata: `${METADATA} 80 outside`, outside: `${outside} 80 outside`,
      service: 'web 8080 svc-ok',
    });
    assert.deepEqual(r, { gateway: 'BLOCKED', hostaddr: 'BLOCKED', metadata: 'BLOCKED', outside: 'OK', service: 'OK' });
  });

  it('a fork\'s step (internal network) reaches only its service', async () => {
    const r = await probe(2, true, { gateway: `GATEWAY ${hostPort} host`, metadata: `${METADATA} 80 outside`, outside: `${outside} 80 outside`, service: 'web 8080 svc-ok' });
    assert.deepEqual(r, { gateway: 'BLOCKED', metadata: 'BLOCKED', outside: 'BLOCKED', service: 'OK' });
  });
});
