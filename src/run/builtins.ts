// Slipway's built-in steps: build the image, push it and pin its digest, deploy it as a release, notify.

import type { Readable } from 'node:stream';
import { SlipwayError } from '../core/errors.js';
import { appRepository } from '../core/naming.js';
import type { RunMeta, StepPlan } from '../core/plan.js';
import type { App, Run } from '../core/types.js';
import { rollOut } from '../converge/rollout.js';
import type { RunContext } from './executor.js';
import type { BuiltinContext, BuiltinSteps } from './pipeline-runner.js';

export interface WorkspaceExporter {
  /** A tar stream of a folder of the workspace (the build context after earlier steps ran). */
  exportWorkspace(volume: string, path: string, image: string): Promise<Readable>;
}

export class RunBuiltins implements BuiltinSteps {
  #built: { repository: string; tag: string; extra: string[] } | null = null;
  #pinned: string | null = null;
  /** Whether a deploy step put a release live (the run then reports the app's URL). */
  deployed = false;

  constructor(
    private readonly current: Run,
    private readonly app: App,
    private readonly meta: RunMeta,
    private readonly ctx: RunContext,
    private readonly exporter: WorkspaceExporter | null,
  ) {}

  async run(step: StepPlan, b: BuiltinContext): Promise<void> {
    if (step.kind === 'build') return this.#build(step, b);
    if (step.kind === 'push') return this.#push(b);
    if (step.kind === 'deploy') return this.#deploy(step, b);
    if (step.kind === 'notify') return this.#notify(step, b);
    throw new SlipwayError('internal', `step ${step.name} has no image and is not a built-in step`);
  }

  async #build(step: StepPlan, b: BuiltinContext): Promise<void> {
    const settings = step.build ?? { dockerfile: 'Dockerfile', context: '.', target: null, args: {}, tags: [] };
    if (this.current.phase !== 'queued') b.log(`--> Slipway restarted during the build; building again\n`);
    await this.ctx.store.updateRun(this.current.id, { phase: 'build' });
    const repository = `${this.ctx.registry.address}/${appRepository(this.app.name)}`;
    const tag = this.current.commit.slice(0, 12);
    const extra = settings.tags.flatMap((t) => {
      const value = t === '$describe' ? this.meta.describe : t;
      if (value === null) b.log(`--> no tag in this commit's history: skipping the $describe tag\n`);
      return value === null ? [] : [value.replace(/[^A-Za-z0-9_.-]/g, '-').slice(0, 128)];
    });
    let context: Readable;
    // Any image that is on this host works (the container is never started): one of a step that runs.
    const anyImage = b.pipeline.steps.find((s) => s.image !== null && s.skip === null)?.image ?? null;
    if (b.workspace && this.exporter && anyImage) {
      context = await this.exporter.exportWorkspace(b.workspace.volume, settings.context, anyImage);
    } else {
      if (settings.context !== '.') {
        throw new SlipwayError('invalid_input', `build context ${settings.context} needs a workspace`, {
          hint: 'add a container step before the build, or build from the repository root',
        });
      }
      if (settings.dockerfile === 'Dockerfile') await this.ctx.sources.assertBuildable(this.current);
      context = this.ctx.sources.open(this.current);
    }
    b.log(`--> building ${this.app.name} at ${this.current.source === 'git' ? `commit ${tag}` : `upload ${tag}`}\n`);
    await this.ctx.engine.build({
      context,
      tag: `${repository}:${tag}`,
      extraTags: extra.map((t) => `${repository}:${t}`),
      dockerfile: settings.dockerfile,
      target: settings.target,
      buildArgs: settings.args,
      labels: { 'io.slipway.app': this.app.name, 'io.slipway.commit': this.current.commit },
      onLog: b.log,
      signal: b.signal,
    });
    this.#built = { repository, tag, extra };
  }

  async #push(b: BuiltinContext): Promise<void> {
    if (!this.#built) throw new SlipwayError('invalid_input', 'push needs an image: add a build step before it');
    const { repository, tag, extra } = this.#built;
    await this.ctx.store.updateRun(this.current.id, { phase: 'push' });
    for (const t of [tag, ...extra]) {
      b.log(`--> pushing ${repository}:${t}\n`);
      await this.ctx.engine.push(`${repository}:${t}`, this.ctx.registry.credentials(), b.log);
    }
    // The registry is the authority on the digest nodes will pull (PITFALLS: never trust a tag).
    const digest = await this.ctx.registry.resolveDigest(appRepository(this.app.name), tag);
    b.log(`--> image ${repository}@${digest}\n`);
    this.#pinned = `${repository}@${digest}`;
  }

  async #deploy(step: StepPlan, b: BuiltinContext): Promise<void> {
    if (step.deploy?.stack) {
      throw new SlipwayError('invalid_input', `deploying stack ${step.deploy.stack} is not supported yet`, {
        hint: 'use `deploy: {}` to deploy this app',
      });
    }
    if (!this.#pinned) throw new SlipwayError('invalid_input', 'deploy needs a pushed image: add build and push steps before it');
    const release = await this.ctx.store.createRelease({
      app: this.app.name,
      image: this.#pinned,
      commit: this.current.commit,
      runId: this.current.id,
      spec: { app: this.app.name, image: this.#pinned, port: this.app.port, replicas: this.app.replicas, env: {} },
      rollbackOf: null,
    });
    await this.ctx.store.updateRun(this.current.id, { phase: 'deploy', releaseId: release.id });
    await rollOut(release, { ...this.ctx, log: b.log });
    await this.ctx.syncRoutes();
    this.deployed = true;
  }

  async #notify(step: StepPlan, b: BuiltinContext): Promise<void> {
    if (!step.notify) throw new SlipwayError('invalid_input', `step ${step.name}: notify needs a url`);
    const body = {
      app: this.app.name,
      run: this.current.id,
      commit: this.current.commit,
      event: this.meta.event,
      message: step.notify.message ?? `${this.app.name}: run ${this.current.id} reached step ${step.name}`,
    };
    const res = await fetch(step.notify.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.any([b.signal, AbortSignal.timeout(10_000)]),
    }).catch((err: unknown) => {
      throw new SlipwayError('dependency', `notification to ${new URL(step.notify!.url).host} failed: ${(err as Error).message}`);
    });
    if (!res.ok) throw new SlipwayError('dependency', `notification to ${new URL(step.notify.url).host} answered HTTP ${res.status}`);
    b.log(`--> notified ${new URL(step.notify.url).host}\n`);
  }
}
