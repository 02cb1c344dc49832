// Benchmark: push-to-live via Slipway vs the raw docker CLI, zero downtime under load, Slipway's start time and memory.
//
// Push-to-live is timed against the same work done with the docker CLI, zero-downtime under load against a plain
// `docker service update`; Slipway's own start time and memory are measured too. Prints figures, asserts none.
//
//   cd /work/main && node --import tsx bench/push-to-live.ts
//
// Bounded (hard stop after 9 minutes); removes everything it creates, also when it fails or is interrupted.

import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { commitAll, gitInit } from '../test/e2e/support/app-source.js';
import { appClient, waitForBody, type AppClient } from '../test/e2e/support/https-client.js';
import { startTestSlipway, type TestSlipway } from '../test/e2e/support/slipway-process.js';
import { createApp, pushApp } from './support/app.js';
import { destroySlipway, dockerNames, leftovers, Problems, removeDirs } from './support/cleanup.js';
import { privateDockerCli, slipwayLikeServiceArgs, type DockerCli } from './support/docker-cli.js';
import { httpLoad, waitForHttp, type LoadResult } from './support/http-load.js';
import { checkpoint, log, runLifecycle, type Summary } from './support/lifecycle.js';
import { findPebblePids, findSlipwayPid, rssMiB } from './support/proc.js';
import { editGreeting, uniqueSource } from './support/sources.js';

const APP = 'bench';
const DOMAIN = 'bench.slipway.test';
const HARD_LIMIT_MS = 9 * 60_000;
/** After an interrupt or the time limit, how long the current step may take before cleanup starts regardless. */
const ABORT_GRACE_MS = 45_000;
const LOAD_CLIENTS = 8;
/** What the docker CLI waits after a service converged ("verify: Waiting 5 seconds…"): our --update-monitor. */
const VERIFY_MS = 5000;

interface PushCase {
  slipwayMs?: number;
  rawMs?: number;
  rawSteps?: Record<string, number>;
}

interface SlipwayLoad {
  readonly ok: number;
  readonly failed: number;
  readonly errors: string[];
  readonly versions: string[];
  readonly durationMs: number;
  readonly pushMs: number;
}

interface Figures {
  instance?: string;
  engine?: string;
  coldStartMs?: number;
  warmStartMs?: number;
  idleRssMiB?: number;
  warmIdleRssMiB?: number;
  endRssMiB?: number;
  cold: PushCase;
  change: PushCase;
  slipwayLoad?: SlipwayLoad;
  plainLoad?: LoadResult & { updateMs: number };
  notes: string[];
  cleanup: string[];
}

/** Everything the benchmark created, so cleanup() removes exactly that. */
const made = {
  slipway: null as TestSlipway | null,
  client: null as AppClient | null,
  cli: null as DockerCli | null,
  registry: '',
  services: [] as string[],
  imageRefs: [] as string[],
  dirs: [] as string[],
};

// ---------------------------------------------------------------------------------------------------------------
// Small helpers

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const seconds = (ms: number | undefined) => (ms === undefined ? 'n/a' : `${(ms / 1000).toFixed(1)} s`);
const mib = (v: number | undefined) => (v === undefined ? 'n/a' : `${v.toFixed(0)} MiB`);

/** Runs one step (after a checkpoint) and measures it. */
async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  checkpoint();
  const start = performance.now();
  const value = await fn();
  return [value, performance.now() - start];
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function registryCredentials(dataDir: string): Promise<{ username: string; password: string }> {
  // Format: src/adapters/registry/credentials.ts ({ "username": …, "password": … }, mode 0600).
  const value = JSON.parse(await readFile(join(dataDir, 'registry', 'credentials.json'), 'utf8')) as Record<string, unknown>;
  if (typeof value.username !== 'string' || typeof value.password !== 'string') throw new Error('registry credentials.json has no username/password');
  return { username: value.username, password: value.password };
}

// ---------------------------------------------------------------------------------------------------------------
// 1. Slipway's start time and memory

async function startAndMeasure(fig: Figures): Promise<TestSlipway> {
  log('starting Slipway (cold: registry, edge, Pebble, API)…');
  const [slipway, coldMs] = await timed(() => startTestSlipway({ rolloutTimeoutSeconds: 120 }));
  made.slipway = slipway;
  fig.instance = slipway.instance;
  fig.coldStartMs = coldMs;
  log(`ready in ${seconds(coldMs)}; idling 5 s before reading its RSS`);
  await sleep(5000);
  fig.idleRssMiB = await slipwayRss(slipway, fig);

  await slipway.kill();
  const orphans = await findPebblePids(slipway.dataDir);
  if (orphans.length > 0) {
    fig.notes.push(`after kill() (SIGKILL) the instance's Pebble survived as an orphan (pid ${orphans.join(', ')}); the benchmark ends it by pid`);
  }
  log('restarting Slipway (warm)…');
  const [, warmMs] = await timed(() => slipway.restart());
  fig.warmStartMs = warmMs;
  log(`ready in ${seconds(warmMs)}; idling 5 s before reading its RSS`);
  await sleep(5000);
  fig.warmIdleRssMiB = await slipwayRss(slipway, fig);
  return slipway;
}

async function slipwayRss(slipway: TestSlipway, fig: Figures): Promise<number | undefined> {
  const pid = await findSlipwayPid(slipway.instance);
  if (pid === null) {
    fig.notes.push('could not find the Slipway process in /proc');
    return undefined;
  }
  return rssMiB(pid);
}

// ---------------------------------------------------------------------------------------------------------------
// 2. Push-to-live: Slipway vs the raw docker CLI

async function prepareRawSide(slipway: TestSlipway, fig: Figures): Promise<DockerCli> {
  const cli = await privateDockerCli(made.dirs);
  made.cli = cli;
  made.registry = `127.0.0.1:${slipway.env.SLIPWAY_REGISTRY_PORT}`;
  fig.engine = await cli.engineVersion();
  const { username, password } = await registryCredentials(slipway.dataDir);
  await cli.login(made.registry, username, password);
  // The first push into an empty registry uploads node:20-slim's layers; later pushes mount them. Pushing the base
  // once up front means neither path pays that one-off cost, whichever runs first.
  log('pushing node:20-slim into the instance registry once (so both paths start from the same registry state)…');
  const base = `${made.registry}/bench/base:warm`;
  made.imageRefs.push(base);
  checkpoint();
  await cli.run(['tag', 'node:20-slim', base]);
  await cli.push(base);
  return cli;
}

/** git push to the app's remote: returns when the release is live. */
async function pushToSlipway(slipway: TestSlipway, dir: string): Promise<number> {
  const [push, ms] = await timed(() => pushApp(slipway, APP, dir, 180_000));
  if (push.code !== 0 || !/is live/.test(push.output)) throw new Error(`git push did not go live (exit ${push.code}):\n${push.output.slice(-3000)}`);
  return ms;
}

interface RawDeploy {
  readonly ms: number;
  readonly steps: Record<string, number>;
  readonly ref: string;
}

/** By hand: build, push, read the digest, create or update the service; the CLI waits for convergence. */
async function rawDeploy(cli: DockerCli, dir: string, tag: string, service: string, network: string): Promise<RawDeploy> {
  const image = `${made.registry}/bench/raw:${tag}`;
  made.imageRefs.push(image);
  const steps: Record<string, number> = {};
  const step = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    const [value, ms] = await timed(fn);
    steps[name] = ms;
    return value;
  };
  const first = !made.services.includes(service);
  const start = performance.now();
  await step('build', () => cli.build(image, dir));
  await step('push', () => cli.push(image));
  const ref = await step('digest', () => cli.repoDigest(image));
  if (first) {
    made.services.push(service);
    await step('service create', () => cli.serviceCreate(slipwayLikeServiceArgs(service, network, ref)));
  } else {
    await step('service update', () => cli.serviceUpdateImage(service, ref));
  }
  return { ms: performance.now() - start, steps, ref };
}

interface PushResults {
  readonly coldRef: string;
  readonly changeRef: string;
  readonly slipwaySource: string;
}

async function pushToLive(slipway: TestSlipway, cli: DockerCli, fig: Figures): Promise<PushResults> {
  checkpoint();
  const slipwaySource = await uniqueSource('cold-slipway');
  made.dirs.push(slipwaySource);
  await gitInit(slipwaySource);
  const rawSource = await uniqueSource('cold-raw');
  made.dirs.push(rawSource);
  const rawService = `${slipway.instance}-raw`;

  // (a) cold build: Slipway first, then by hand. (b) one-line change: by hand first, then Slipway (order alternates).
  log('(a) cold build through Slipway (git push)…');
  fig.cold.slipwayMs = await pushToSlipway(slipway, slipwaySource);
  log(`    ${seconds(fig.cold.slipwayMs)}; (a) cold build by hand (docker build/push/service create)…`);
  const cold = await rawDeploy(cli, rawSource, 'cold', rawService, slipway.instance);
  Object.assign(fig.cold, { rawMs: cold.ms, rawSteps: cold.steps });

  log(`    ${seconds(cold.ms)}; (b) one-line change to server.js by hand (docker build/push/service update)…`);
  await editGreeting(rawSource, 'change');
  const change = await rawDeploy(cli, rawSource, 'change', rawService, slipway.instance);
  Object.assign(fig.change, { rawMs: change.ms, rawSteps: change.steps });

  log(`    ${seconds(change.ms)}; (b) one-line change to server.js through Slipway (git push)…`);
  await editGreeting(slipwaySource, 'change');
  await commitAll(slipwaySource, 'change');
  fig.change.slipwayMs = await pushToSlipway(slipway, slipwaySource);
  log(`    ${seconds(fig.change.slipwayMs)}`);
  return { coldRef: cold.ref, changeRef: change.ref, slipwaySource };
}

// ---------------------------------------------------------------------------------------------------------------
// 3. Zero downtime: Slipway's redeploy vs a plain `docker service update` with Docker's defaults

async function slipwayRedeployUnderLoad(slipway: TestSlipway, client: AppClient, dir: string): Promise<SlipwayLoad> {
  await editGreeting(dir, 'zero-downtime');
  await commitAll(dir, 'zero-downtime');
  const started = Date.now();
  const load = client.load(LOAD_CLIENTS);
  let pushMs: number;
  try {
    await sleep(1000);
    pushMs = await pushToSlipway(slipway, dir);
    await sleep(3000);
  } catch (err) {
    await load.stop();
    throw err;
  }
  const result = await load.stop();
  return { ok: result.ok, failed: result.failed, errors: result.errors, versions: [...result.bodies].map((b) => b.trim()), durationMs: Date.now() - started, pushMs };
}

async function plainUpdateUnderLoad(cli: DockerCli, name: string, from: string, to: string): Promise<LoadResult & { updateMs: number }> {
  checkpoint();
  const port = await freePort();
  made.services.push(name);
  // Docker's defaults: stop-first updates, no routing that waits for health. Host-mode port: no IPVS here.
  await cli.serviceCreate(['--name', name, '--publish', `mode=host,target=3000,published=${port}`, '--endpoint-mode', 'dnsrr', '--with-registry-auth', from]);
  await waitForHttp(port, /Hello from Slipway/);
  const load = httpLoad(port, LOAD_CLIENTS);
  let updateMs: number;
  try {
    await sleep(1000);
    [, updateMs] = await timed(() => cli.serviceUpdateImage(name, to));
    await sleep(3000);
  } catch (err) {
    await load.stop();
    throw err;
  }
  return { ...(await load.stop()), updateMs };
}

// ---------------------------------------------------------------------------------------------------------------
// The run, the cleanup and the summary (runLifecycle in support/lifecycle.ts ties them together)

async function runBenchmark(fig: Figures): Promise<void> {
  const slipway = await startAndMeasure(fig);
  const cli = await prepareRawSide(slipway, fig);
  await createApp(slipway, APP, DOMAIN);
  const pushed = await pushToLive(slipway, cli, fig);

  log('zero-downtime: 8 keep-alive HTTPS clients through the edge during a Slipway redeploy…');
  const client = await appClient(slipway, DOMAIN);
  made.client = client;
  await waitForBody(client, /\[change\]/);
  fig.slipwayLoad = await slipwayRedeployUnderLoad(slipway, client, pushed.slipwaySource);
  log(`    ${fig.slipwayLoad.failed} failed / ${fig.slipwayLoad.ok} ok`);

  log('zero-downtime: 8 keep-alive HTTP clients during a plain `docker service update` (stop-first)…');
  fig.plainLoad = await plainUpdateUnderLoad(cli, `${slipway.instance}-plain`, pushed.coldRef, pushed.changeRef);
  log(`    ${fig.plainLoad.failed} failed / ${fig.plainLoad.ok} ok`);

  fig.endRssMiB = await slipwayRss(slipway, fig);
}

async function cleanup(fig: Figures): Promise<void> {
  const problems = new Problems();
  made.client?.close();
  const cli = made.cli;
  if (cli) {
    await problems.attempt('removing services', () => cli.removeServices(made.services));
    problems.list.push(...(await cli.removeImageRefs(made.imageRefs)));
  }
  const slipway = made.slipway;
  if (slipway) await destroySlipway(slipway, problems);
  await removeDirs(made.dirs, problems);
  if (cli && slipway) problems.list.push(...(await leftovers(cli, slipway, made.dirs, await leftObjects(cli, slipway))));
  fig.cleanup = problems.report('nothing left behind (services, containers, network, images, folders, processes)');
}

/** What leftovers() looks for besides services, processes and folders: anything named for the instance, images of its registry. */
async function leftObjects(cli: DockerCli, slipway: TestSlipway): Promise<string[]> {
  return [
    ...(await dockerNames(cli, ['ps', '-a', '--format', '{{.Names}}'])).filter((n) => n.includes(slipway.instance)).map((n) => `container ${n}`),
    ...(await dockerNames(cli, ['network', 'ls', '--format', '{{.Name}}'])).filter((n) => n === slipway.instance).map((n) => `network ${n}`),
    ...(await dockerNames(cli, ['images', '--digests', '--format', '{{.Repository}}:{{.Tag}}@{{.Digest}}'])).filter((n) => n.startsWith(`${made.registry}/`)).map((n) => `image ${n}`),
  ];
}

function ratio(a: number | undefined, b: number | undefined): string {
  return a === undefined || b === undefined ? 'n/a' : (a / b).toFixed(2);
}

function steps(s: Record<string, number> | undefined): string {
  return s ? Object.entries(s).map(([k, v]) => `${k} ${seconds(v)}`).join(' · ') : 'n/a';
}

/** The docker CLI waits a fixed `--update-monitor` (5 s) after convergence before returning; Slipway does not. */
function withoutVerify(c: PushCase): string {
  if (c.rawMs === undefined) return '';
  const raw = c.rawMs - VERIFY_MS;
  return `; without the CLI's 5 s verify wait ≈ ${seconds(raw)} (ratio ${ratio(c.slipwayMs, raw)})`;
}

function summary(fig: Figures): Summary {
  const sl = fig.slipwayLoad;
  const pl = fig.plainLoad;
  const title = [
    `Slipway push-to-live benchmark — instance ${fig.instance ?? 'n/a'}, ${cpus().length} CPUs, Docker Engine ${fig.engine ?? 'n/a'}, classic builder on both paths`,
  ];
  const figures = [
    `push-to-live cold build:      slipway ${seconds(fig.cold.slipwayMs)}, raw docker CLI ${seconds(fig.cold.rawMs)}, ratio ${ratio(fig.cold.slipwayMs, fig.cold.rawMs)}`,
    `    raw steps: ${steps(fig.cold.rawSteps)}${withoutVerify(fig.cold)}`,
    `push-to-live one-line change: slipway ${seconds(fig.change.slipwayMs)}, raw docker CLI ${seconds(fig.change.rawMs)}, ratio ${ratio(fig.change.slipwayMs, fig.change.rawMs)}`,
    `    raw steps: ${steps(fig.change.rawSteps)}${withoutVerify(fig.change)}`,
    `zero-downtime: slipway ${sl ? `${sl.failed} failed / ${sl.ok} ok` : 'n/a'}; plain docker service update ${pl ? `${pl.failed} failed / ${pl.ok} ok` : 'n/a'}`,
    sl ? `    slipway: ${LOAD_CLIENTS} keep-alive HTTPS clients via the edge for ${seconds(sl.durationMs)}, redeploy push ${seconds(sl.pushMs)}; answers seen: ${sl.versions.join(' | ')}` : '',
    sl && sl.errors.length > 0 ? `    slipway errors (first ${sl.errors.length}): ${sl.errors.join('; ')}` : '',
    pl ? `    plain:   ${LOAD_CLIENTS} keep-alive HTTP clients on the host port for ${seconds(pl.durationMs)}, update ${seconds(pl.updateMs)}; failures spread over ${seconds(pl.failureWindowMs)}` : '',
    pl && pl.errors.size > 0 ? `    plain errors: ${[...pl.errors].map(([m, n]) => `${m} ×${n}`).join('; ')}` : '',
    `slipway start: cold ${seconds(fig.coldStartMs)}, warm ${seconds(fig.warmStartMs)}; idle RSS ${mib(fig.idleRssMiB)} (after the warm start ${mib(fig.warmIdleRssMiB)}, after the deploys ${mib(fig.endRssMiB)})`,
  ];
  const explanations = [
    'Slipway times: git push → release live (build, push, digest, health-gated start-first rollout, old task gone, edge routes).',
    'Raw times: docker build + push + image inspect + service create/update; the CLI waits until converged and then 5 s to verify.',
  ];
  return { width: 100, title, figures, explanations };
}

const fig: Figures = { cold: {}, change: {}, notes: [], cleanup: [] };
await runLifecycle(fig, { hardLimitMs: HARD_LIMIT_MS, abortGraceMs: ABORT_GRACE_MS, run: runBenchmark, cleanup, summary, slipway: () => made.slipway });
