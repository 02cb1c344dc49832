// Integration: a step whose image is in a private registry (a real registry with htpasswd, as Slipway runs it) is
// pulled with the login from image_pull_secrets; without it the pull is refused and the error says what to do.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, test } from 'node:test';
import Dockerode from 'dockerode';
import { DockerEngine } from '../../src/adapters/docker/docker-engine.js';
import { DockerStepBackend } from '../../src/adapters/docker/step-backend.js';
import { LABELS } from '../../src/adapters/docker/step-names.js';
import { packDirectory } from '../../src/cli/tarball.js';
import { SlipwayError } from '../../src/core/errors.js';
import type { PipelinePlan, StepPlan } from '../../src/core/plan.js';
import type { RegistryCredentials } from '../../src/core/ports/registry.js';
import type { WorkspaceRef } from '../../src/core/ports/step-backend.js';
import type { DistributionRegistry } from '../../src/adapters/registry/client.js';
import { ensureRegistry, removeRegistry } from '../../src/infra/registry-service.js';
import { parseDockerConfig } from '../../src/run/pull-logins.js';

const docker = new Dockerode();
const run = randomBytes(4).toString('hex');
const containerName = `slipway-pull-it-${run}`;
const app = `pull-it-${run}`;
let dir = '';
let registry: DistributionRegistry;
let image = '';
let ref: WorkspaceRef;
const backend = new DockerStepBackend(docker, { pullTimeoutMs: 30_000 });

const plan = (): PipelinePlan => ({ name: 'private', file: '.drone.yml', dependsOn: [], workspace: '/drone/src', matrix: null, services: [], steps: [step()], skip: null });
const step = (): StepPlan => ({
  name: 'tool', kind: 'commands', image, commands: ['cat /tool.txt'], entrypoint: null, environment: {}, secrets: [], dependsOn: [], status: [], skip: null,
  failure: 'fail', detach: false, timeoutSeconds: null, retry: 0, pull: 'if-not-exists', caches: [], build: null, deploy: null, notify: null,
  location: { file: '.drone.yml', line: 1, column: 1 },
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  await new Promise((done) => server.close(done));
  return port;
}

/** The build context: a Dockerfile on busybox (on the host) adding one file. */
async function context(): Promise<Readable> {
  const src = await mkdtemp(join(tmpdir(), 'slipway-pull-ctx-'));
  await writeFile(join(src, 'Dockerfile'), 'FROM busybox:latest\nCOPY tool.txt /tool.txt\n');
  await writeFile(join(src, 'tool.txt'), `private tool ${run}\n`);
  const tar = await packDirectory(src);
  await rm(src, { recursive: true, force: true });
  return Readable.from([tar]);
}

async function dropLocalImage(): Promise<void> {
  await docker.getImage(image).remove({ force: true }).catch(() => undefined);
  assert.equal(await docker.getImage(image).inspect().then(() => true, () => false), false, 'the image must not be on the host');
}

async function runTool(pullLogins: readonly RegistryCredentials[]): Promise<{ exitCode: number; output: string }> {
  const out: string[] = [];
  const handle = await backend.startStep(step(), { namespace: 'slipway-pull-it', workspace: ref, pipeline: plan(), environment: {}, caches: [], app, onOutput: (t) => void out.push(t), pullLogins });
  const exit = await backend.wait(handle, new AbortController().signal);
  return { exitCode: exit.exitCode, output: out.join('') };
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'slipway-pull-it-'));
  registry = await ensureRegistry(docker, { containerName, hostPort: await freePort(), dir });
  await registry.ping();
  image = `${registry.address}/team/tool-${run}:1`;
  const engine = new DockerEngine(docker);
  await engine.build({ context: await context(), tag: image, labels: { [LABELS.app]: app }, onLog: () => undefined });
  await engine.push(image, registry.credentials(), () => undefined);
  // Only the busybox base is needed locally: a workspace for the step to run in.
  ref = await backend.setup({ namespace: 'slipway-pull-it', app, runId: 1, pipeline: { ...plan(), steps: [{ ...step(), image: 'busybox:latest' }] }, source: () => Readable.from([Buffer.alloc(1024)]), reuseWorkspace: null });
});

after(async () => {
  if (ref) await backend.teardown(ref, { keepWorkspace: false });
  await docker.getImage(image).remove({ force: true }).catch(() => undefined);
  await removeRegistry(docker, containerName);
  await rm(dir, { recursive: true, force: true });
});

test('without a login the private image is refused, with a hint naming image_pull_secrets', async () => {
  await dropLocalImage();
  await assert.rejects(runTool([]), (err) => {
    assert.ok(err instanceof SlipwayError && err.kind === 'invalid_input', String(err));
    assert.match(err.message, new RegExp(`image ${image.replace(/[.]/g, '\\.')} not found: it is not on this host and pulling it failed \\(.*(no basic auth credentials|unauthorized|authentication required)`, 'i'));
    assert.match(err.hint ?? '', /image_pull_secrets/);
    return true;
  });
});

test('with the login from a Docker config JSON secret, the step pulls its image and runs', async () => {
  await dropLocalImage();
  const { username, password, serveraddress } = registry.credentials();
  const config = JSON.stringify({ auths: { [serveraddress]: { auth: Buffer.from(`${username}:${password.reveal()}`).toString('base64') } } });
  const r = await runTool(parseDockerConfig(config, 'dockerconfig'));
  assert.equal(r.exitCode, 0, r.output);
  assert.match(r.output, new RegExp(`^slipway: pulling ${image.replace(/[.]/g, '\\.')} as ${username} \\(image_pull_secrets\\)$`, 'm'));
  assert.match(r.output, new RegExp(`^private tool ${run}$`, 'm'));
  assert.doesNotMatch(r.output, new RegExp(password.reveal()), 'the password is never printed');
});

test('a wrong password is refused like no login, and the password is not in the error', async () => {
  await dropLocalImage();
  const { username, serveraddress } = registry.credentials();
  const wrong = `wrong-${run}`;
  const config = JSON.stringify({ auths: { [serveraddress]: { username, password: wrong } } });
  await assert.rejects(runTool(parseDockerConfig(config, 'dockerconfig')), (err) => {
    assert.ok(err instanceof SlipwayError && err.kind === 'invalid_input', String(err));
    assert.doesNotMatch(`${err.message} ${err.hint}`, new RegExp(wrong));
    assert.match(err.hint ?? '', /login for .* in image_pull_secrets/);
    return true;
  });
});
