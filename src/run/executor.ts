// Executes one run end to end: source → image build → push → digest → release → health-gated rollout.
// Each phase is recorded first, so a restart knows where the run was (see recover.ts).

import { SlipwayError, asSlipwayError } from '../core/errors.js';
import type { EventBus } from '../core/events.js';
import { appRepository, appUrl } from '../core/naming.js';
import type { EnginePort } from '../core/ports/engine.js';
import type { RegistryPort } from '../core/ports/registry.js';
import type { Store } from '../core/ports/store.js';
import type { App, Release, Run } from '../core/types.js';
import { rollOut } from '../converge/rollout.js';
import { rollbackTarget } from '../release/rollback-target.js';
import type { RunSources } from '../trigger/sources.js';
import { RunLog } from './run-log.js';

export interface RunContext {
  readonly store: Store;
  readonly bus: EventBus;
  readonly engine: EnginePort;
  readonly registry: RegistryPort;
  readonly sources: RunSources;
  readonly instance: string;
  readonly rolloutTimeoutMs: number;
  readonly httpsPort: number;
  /** Brings the edge's routes in line with the apps (called after a release goes live). */
  readonly syncRoutes: () => Promise<void>;
}

export async function executeRun(run: Run, ctx: RunContext): Promise<void> {
  const log = await RunLog.open(ctx.store, ctx.bus, run.id, run.app);
  ctx.bus.emit('run.started', { runId: run.id, app: run.app });
  try {
    const app = await ctx.store.getApp(run.app);
    if (!app) throw new SlipwayError('not_found', `app ${run.app} no longer exists`);
    const release = await releaseFor(run, app, ctx, log.write);
    await ctx.store.updateRun(run.id, { phase: 'deploy', releaseId: release.id });
    await rollOut(release, { ...ctx, log: log.write });
    await ctx.syncRoutes();
    const url = appUrl(app, ctx.httpsPort);
    log.write(`--> live at ${url}\n`);
    await finish(run, ctx, log, 'succeeded', null, url);
  } catch (err) {
    const e = asSlipwayError(err);
    log.write(`--> failed: ${e.message}\n${e.hint ? `    hint: ${e.hint}\n` : ''}`);
    await finish(run, ctx, log, 'failed', e);
  }
}

/** The release this run deploys: resumed, built from source, or an earlier one put back. */
async function releaseFor(run: Run, app: App, ctx: RunContext, log: (t: string) => void): Promise<Release> {
  if (run.phase === 'deploy' && run.releaseId !== null) {
    const resumed = await ctx.store.getReleaseById(run.releaseId);
    if (resumed) {
      log(`--> Slipway restarted during this deploy; resuming release v${resumed.number}\n`);
      return resumed;
    }
  }
  if (run.source === 'rollback') {
    const target = rollbackTarget(await ctx.store.listReleases(app.name), run.targetRelease, app.name);
    log(`--> rolling back ${app.name} to release v${target.number} (${target.image})\n`);
    const { releaseNumber: _n, ...spec } = target.spec;
    return ctx.store.createRelease({ app: app.name, image: target.image, commit: target.commit, runId: run.id, spec, rollbackOf: target.number });
  }
  const image = await buildAndPush(run, ctx, log);
  return ctx.store.createRelease({
    app: app.name,
    image,
    commit: run.commit,
    runId: run.id,
    spec: { app: app.name, image, port: app.port, replicas: app.replicas, env: {} },
    rollbackOf: null,
  });
}

/** Builds the source, pushes it tagged with the commit, and returns the digest-pinned reference. */
async function buildAndPush(run: Run, ctx: RunContext, log: (t: string) => void): Promise<string> {
  if (run.phase !== 'queued') log(`--> Slipway restarted during the build; building again\n`);
  await ctx.store.updateRun(run.id, { phase: 'build' });
  await ctx.sources.assertBuildable(run);
  const repository = `${ctx.registry.address}/${appRepository(run.app)}`;
  const tag = run.commit.slice(0, 12);
  log(`--> building ${run.app} at ${run.source === 'git' ? `commit ${tag}` : `upload ${tag}`}\n`);
  await ctx.engine.build({
    context: ctx.sources.open(run),
    tag: `${repository}:${tag}`,
    labels: { 'io.slipway.app': run.app, 'io.slipway.commit': run.commit },
    onLog: log,
  });
  await ctx.store.updateRun(run.id, { phase: 'push' });
  log(`--> pushing ${repository}:${tag}\n`);
  await ctx.engine.push(`${repository}:${tag}`, ctx.registry.credentials(), log);
  // The registry is the authority on the digest nodes will pull (PITFALLS: never trust a tag).
  const digest = await ctx.registry.resolveDigest(appRepository(run.app), tag);
  log(`--> image ${repository}@${digest}\n`);
  return `${repository}@${digest}`;
}

async function finish(run: Run, ctx: RunContext, log: RunLog, status: 'succeeded' | 'failed', err: SlipwayError | null, url?: string): Promise<void> {
  await log.flush();
  const error = err ? { kind: err.kind, message: err.message, ...(err.hint ? { hint: err.hint } : {}) } : null;
  await ctx.store.updateRun(run.id, { status, phase: 'done', error, finishedAt: new Date().toISOString() });
  await ctx.store.recordEvent(`run.${status}`, run.app, { runId: run.id, error });
  ctx.bus.emit('run.finished', { runId: run.id, app: run.app, status, error, ...(url ? { url } : {}) });
}
