// Unit tests of the pure step mapping: container options, the generated script, names and labels.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SlipwayError } from '../../core/errors.js';
import type { PipelinePlan, ServicePlan, StepPlan } from '../../core/plan.js';
import type { StartRequest } from '../../core/ports/step-backend.js';
import {
  DEFAULT_LIMITS,
  extractContainerOptions,
  imagesOf,
  runNetworkOptions,
  serviceContainerOptions,
  stepContainerOptions,
  workspaceVolumeOptions,
} from './step-convert.js';
import { aliasOf, cacheVolumeName, containerName, runIdOf, slugOf, stepBridgeName, workspaceRefFor } from './step-names.js';
import { SCRIPT_COMMAND, generateScript, shellQuote } from './step-script.js';

const location = { file: '.drone.yml', line: 3, column: 5 };
const step = (more: Partial<StepPlan> = {}): StepPlan => ({
  name: 'test', kind: 'commands', image: 'node:20-slim', commands: ['npm ci', 'npm test'], entrypoint: null, environment: {}, secrets: [],
  dependsOn: [], status: [], skip: null, failure: 'fail', detach: false, timeoutSeconds: null, retry: 0, pull: 'if-not-exists', caches: [],
  build: null, deploy: null, notify: null, location, ...more,
});
const service = (more: Partial<ServicePlan> = {}): ServicePlan => ({
  name: 'db', image: 'postgres:16', commands: [], entrypoint: null, environment: {}, secrets: [], location, ...more,
});
const pipeline: PipelinePlan = {
  name: 'test (NODE=20)', file: '.drone.yml', dependsOn: [], workspace: '/drone/src', matrix: null, services: [service()], steps: [step()], skip: null,
};
const workspace = workspaceRefFor('slipway', 'shop', 42, pipeline.name, null);
const request = (more: Partial<StartRequest> = {}): StartRequest => ({
  namespace: 'slipway', workspace, pipeline, environment: { CI: 'true', A_FIRST: 'x=y' }, caches: [{ name: 'npm', path: '/root/.npm' }], app: 'shop', onOutput: () => {}, ...more,
});
const decode = (env: readonly string[] | undefined) => {
  const line = env?.find((e) => e.startsWith('CI_SCRIPT='));
  return line === undefined ? null : Buffer.from(line.slice('CI_SCRIPT='.length), 'base64').toString('utf8');
};

describe('stepContainerOptions', () => {
  it('runs a commands step as a base64 script in CI_SCRIPT through /bin/sh', () => {
    const o = stepContainerOptions(step(), request(), 'abc123');
    assert.equal(o.Image, 'node:20-slim');
    assert.deepEqual(o.Entrypoint, ['/bin/sh', '-c']);
    assert.deepEqual(o.Cmd, [SCRIPT_COMMAND]);
    assert.match(SCRIPT_COMMAND, /echo \$CI_SCRIPT \| base64 -d/);
    assert.equal(decode(o.Env), generateScript(['npm ci', 'npm test']));
    assert.deepEqual(o.Env?.filter((e) => !e.startsWith('CI_SCRIPT=')), ['A_FIRST=x=y', 'CI=true']);
    assert.equal(o.Tty, false);
    assert.equal(o.OpenStdin, false);
  });

  it('labels the container and mounts the workspace at the workspace path, its working directory', () => {
    const o = stepContainerOptions(step(), request(), 'abc123');
    assert.deepEqual(o.Labels, {
      'io.slipway.app': 'shop', 'io.slipway.run': '42', 'io.slipway.workspace': workspace.id, 'io.slipway.role': 'step', 'io.slipway.step': 'test',
    });
    assert.equal(o.WorkingDir, '/drone/src');
    assert.equal(o.name, `${workspace.id}-test-abc123`);
    const mounts = o.HostConfig?.Mounts ?? [];
    assert.deepEqual(mounts.map((m) => [m.Type, m.Source, m.Target]), [
      ['volume', workspace.volume, '/drone/src'],
      ['volume', 'slipway-cache-shop-npm', '/root/.npm'],
    ]);
    assert.deepEqual(mounts[1]?.VolumeOptions?.Labels, { 'io.slipway.app': 'shop', 'io.slipway.cache': 'npm' });
  });

  it('joins the run network under the step name, unprivileged, no host paths, memory and pids bounded', () => {
    const host = stepContainerOptions(step(), request(), 'abc123').HostConfig;
    const o = stepContainerOptions(step(), request(), 'abc123');
    assert.equal(host?.NetworkMode, workspace.network);
    assert.deepEqual(o.NetworkingConfig?.EndpointsConfig?.[workspace.network]?.Aliases, ['test']);
    assert.equal(host?.Privileged, false);
    assert.equal(host?.Binds, undefined);
    assert.ok(host?.Mounts?.every((m) => m.Type === 'volume'));
    assert.equal(host?.Memory, DEFAULT_LIMITS.memoryBytes);
    assert.equal(host?.MemorySwap, DEFAULT_LIMITS.memoryBytes);
    assert.equal(host?.PidsLimit, DEFAULT_LIMITS.pidsLimit);
    assert.equal(stepContainerOptions(step(), request(), 'x', { memoryBytes: 1024, pidsLimit: 7 }).HostConfig?.PidsLimit, 7);
    for (const key of ['ShmSize', 'CpuShares', 'CpuPeriod', 'CpuQuota', 'CpusetCpus']) assert.equal(key in (host ?? {}), false, key);
  });

  it('applies the limits a step asks for (mem_limit, cpu_* …); the pids bound stays', () => {
    const limits = { memoryBytes: 256 * 1024 ** 2, shmBytes: 1024 ** 2, cpuShares: 512, cpuPeriodMicros: 100_000, cpuQuotaMicros: 50_000, cpuSet: '0' };
    const host = stepContainerOptions(step({ limits }), request(), 'x').HostConfig;
    assert.equal(host?.Memory, 256 * 1024 ** 2);
    assert.equal(host?.MemorySwap, 256 * 1024 ** 2, 'no swap on top unless asked');
    assert.equal(host?.ShmSize, 1024 ** 2);
    assert.equal(host?.CpuShares, 512);
    assert.equal(host?.CpuPeriod, 100_000);
    assert.equal(host?.CpuQuota, 50_000);
    assert.equal(host?.CpusetCpus, '0');
    assert.equal(host?.PidsLimit, DEFAULT_LIMITS.pidsLimit);
    assert.equal(stepContainerOptions(step({ limits: { memorySwapBytes: -1 } }), request(), 'x').HostConfig?.MemorySwap, -1);
    // memswap_limit alone: the engine refuses a swap limit under the memory limit, so memory is capped at it.
    const swapOnly = stepContainerOptions(step({ limits: { memorySwapBytes: 1024 ** 3 } }), request(), 'x').HostConfig;
    assert.deepEqual([swapOnly?.Memory, swapOnly?.MemorySwap], [1024 ** 3, 1024 ** 3]);
  });

  it("runs a plugin with the image's own entrypoint and command", () => {
    const o = stepContainerOptions(step({ kind: 'plugin', commands: [], image: 'plugins/slack' }), request(), 'x');
    assert.equal('Entrypoint' in o, false);
    assert.equal('Cmd' in o, false);
    assert.equal(decode(o.Env), null);
  });

  it('uses an entrypoint given instead, keeping the script in CI_SCRIPT for custom shells', () => {
    const withCommands = stepContainerOptions(step({ entrypoint: ['/bin/bash', '-c', 'echo $CI_SCRIPT | base64 -d | bash -e'] }), request(), 'x');
    assert.deepEqual(withCommands.Entrypoint, ['/bin/bash', '-c', 'echo $CI_SCRIPT | base64 -d | bash -e']);
    assert.deepEqual(withCommands.Cmd, []);
    assert.equal(decode(withCommands.Env), generateScript(['npm ci', 'npm test']));
    const plugin = stepContainerOptions(step({ kind: 'plugin', commands: [], entrypoint: ['/bin/tool', '--flag'] }), request(), 'x');
    assert.deepEqual([plugin.Entrypoint, plugin.Cmd], [['/bin/tool', '--flag'], []]);
    const empty = stepContainerOptions(step({ entrypoint: [] }), request(), 'x');
    assert.deepEqual(empty.Entrypoint, ['/bin/sh', '-c']);
  });

  it('refuses built-in steps, relative or clashing cache paths and bad variable names', () => {
    const isKind = (kind: string) => (err: unknown) => err instanceof SlipwayError && err.kind === kind;
    assert.throws(() => stepContainerOptions(step({ kind: 'build', image: null }), request(), 'x'), isKind('internal'));
    assert.throws(() => stepContainerOptions(step(), request({ caches: [{ name: 'a', path: 'rel' }] }), 'x'), isKind('invalid_input'));
    assert.throws(() => stepContainerOptions(step(), request({ caches: [{ name: 'a', path: '/drone/src' }] }), 'x'), isKind('invalid_input'));
    assert.throws(() => stepContainerOptions(step(), request({ caches: [{ name: 'a', path: '/c' }, { name: 'b', path: '/c' }] }), 'x'), isKind('invalid_input'));
    assert.throws(() => stepContainerOptions(step(), request({ environment: { 'A=B': 'x' } }), 'x'), isKind('invalid_input'));
  });
});

describe('serviceContainerOptions', () => {
  it("runs the image's default without commands, the script with them, and never mounts caches", () => {
    const plain = serviceContainerOptions(service(), request(), 'x');
    assert.equal('Cmd' in plain, false);
    assert.equal(plain.Labels?.['io.slipway.role'], 'service');
    assert.deepEqual(plain.NetworkingConfig?.EndpointsConfig?.[workspace.network]?.Aliases, ['db']);
    assert.deepEqual(plain.HostConfig?.Mounts?.map((m) => m.Target), ['/drone/src']);
    const scripted = serviceContainerOptions(service({ commands: ['redis-server --port 7000'] }), request(), 'x');
    assert.deepEqual(scripted.Cmd, [SCRIPT_COMMAND]);
    assert.equal(decode(scripted.Env), generateScript(['redis-server --port 7000']));
  });
});

describe('generateScript', () => {
  it('sets -e, drops CI_SCRIPT, and echoes each command with "+ " before running it', () => {
    assert.equal(generateScript(['npm ci', 'npm test']), [
      'set -e', 'unset CI_SCRIPT', "printf '+ %s\\n' 'npm ci'", 'npm ci', "printf '+ %s\\n' 'npm test'", 'npm test', '',
    ].join('\n'));
  });

  it('quotes the echoed text so that nothing in it is expanded', () => {
    assert.equal(shellQuote(`it's $HOME \\n $(rm -rf /)`), `'it'\\''s $HOME \\n $(rm -rf /)'`);
  });
});

describe('names and labels', () => {
  it('keeps safe names, and makes others safe with a hash so that two never collapse', () => {
    assert.equal(slugOf('build'), 'build');
    assert.match(slugOf('test (NODE=18)'), /^test-node-18-[0-9a-f]{6}$/);
    assert.notEqual(slugOf('test (NODE=18)'), slugOf('test NODE 18'));
    assert.match(slugOf('???'), /^x-[0-9a-f]{6}$/);
    assert.ok(slugOf('a'.repeat(100)).length <= 47);
  });

  it('names the workspace volume and run network after app, run and pipeline; reuse keeps the old volume', () => {
    const ref = workspaceRefFor('slipway', 'shop', 42, 'default', null);
    assert.deepEqual(ref, { id: 'slipway-run-42-default', network: 'slipway-run-42-default', volume: 'slipway-ws-shop-42-default' });
    assert.equal(runIdOf(ref), '42');
    const reused = workspaceRefFor('slipway', 'shop', 43, 'default', 'slipway-ws-shop-42-default');
    assert.deepEqual(reused, { id: 'slipway-run-43-default', network: 'slipway-run-43-default', volume: 'slipway-ws-shop-42-default' });
  });

  it('names caches per app, aliases by name, containers per attempt', () => {
    assert.equal(cacheVolumeName('slipway', 'shop', 'node_modules'), 'slipway-cache-shop-node_modules');
    assert.equal(aliasOf('db'), 'db');
    assert.match(aliasOf('my service'), /^my-service-[0-9a-f]{6}$/);
    assert.equal(containerName(workspace, 'unit tests', 'ff00aa').endsWith('-ff00aa'), true);
  });

  it('extracts with a container that has no network, only the workspace mounted', () => {
    const o = extractContainerOptions('busybox:latest', 'shop', workspace, pipeline);
    assert.equal(o.NetworkDisabled, true);
    assert.deepEqual(o.HostConfig?.Mounts?.map((m) => [m.Source, m.Target]), [[workspace.volume, '/drone/src']]);
    assert.equal(o.Labels?.['io.slipway.role'], 'extract');
    assert.equal(o.Labels?.['io.slipway.workspace'], workspace.id);
  });

  it('makes a labelled, non-internal bridge network and a labelled volume', () => {
    const net = runNetworkOptions('shop', workspace);
    assert.deepEqual([net.Name, net.Driver, net.Internal, net.CheckDuplicate], [workspace.network, 'bridge', false, true]);
    // The step firewall (infra/step-firewall.ts) matches every step bridge by this prefix; Linux allows 15 characters.
    const bridge = net.Options?.['com.docker.network.bridge.name'] ?? '';
    assert.match(bridge, /^slwstep[0-9a-f]{8}$/);
    assert.equal(bridge, stepBridgeName(workspace.network));
    assert.notEqual(bridge, stepBridgeName(`${workspace.network}x`));
    assert.equal(runNetworkOptions('shop', workspace, true).Internal, true, 'forks: no way out');
    assert.equal(net.Labels?.['io.slipway.workspace'], workspace.id);
    assert.deepEqual(workspaceVolumeOptions('shop', workspace).Labels, { 'io.slipway.app': 'shop', 'io.slipway.run': '42', 'io.slipway.workspace': workspace.id });
  });

  it('lists the images a pipeline runs, steps first, without built-ins, skipped steps or repeats', () => {
    const plan: PipelinePlan = {
      ...pipeline,
      steps: [step({ kind: 'build', image: null }), step({ image: 'skipped:1', skip: 'branch' }), step({ image: 'a:1' }), step({ image: 'a:1' })],
      services: [service({ image: 'redis:7' })],
    };
    assert.deepEqual(imagesOf(plan), ['a:1', 'redis:7']);
  });
});
