// Slipway's built-in steps: build the image, push it and pin its digest, deploy it as a release (or deploy a
// stack from a compose file), notify.

import { Readable } from 'node:stream';
import { SlipwayError } from '../core/errors.js';
import { appRepository } from '../core/naming.js';
import type { PipelinePlan, PublishSettings, RunMeta, StepPlan } from '../core/plan.js';
import { Secret } from '../core/secret.js';
import type { App, Run } from '../core/types.js';
import { rollOut } from '../converge/rollout.js';
import { createBuiltRelease } from '../release/new-release.js';
import { newerLiveRelease, newerStackRun, recordStackRun } from '../release/superseded.js';
import { publishTarget, throwawayName, type PublishTarget } from './build-names.js';
import type { RunContext } from './run-context.js';
import { postJson } from '../tell/outbound.js';
import { runStackStep } from './stack-step.js';
import { deployStackRelease } from '../release/stack-release-deploy.js';
import type { BuiltinContext, BuiltinSkipped, BuiltinSteps } from './pipeline-runner.js';

/** What the built-in steps use of the run's context. */
export type BuiltinsContext = Pick<
  RunContext,
  'store' | 'bus' | 'engine' | 'registry' | 'sources' | 'backend' | 'instance' | 'rolloutTimeoutMs' | 'syncRoutes' | 'deploys' | 'outbound' | 'checkStackDomains' | 'sealer'
>;

export class RunBuiltins implements BuiltinSteps {
  #built: { repository: string; tag: string; extra: string[] } | null = null;
  #pinned: string | null = null;
  /** Local images only this run may use (a fork's build), removed by close(). */
  readonly #throwaway: string[] = [];
  /** Whether a deploy step put a release live (the run then reports the app's URL). */
  deployed = false;

  constructor(
    private readonly current: Run,
    private readonly app: App,
    private readonly meta: RunMeta,
    private readonly ctx: BuiltinsContext,
  ) {}

  /** Reading the workspace back, when the step backend can (see core/ports/step-backend.ts). */
  get #exporter() {
    return this.ctx.backend.workspaceExport;
  }

  async run(step: StepPlan, b: BuiltinContext): Promise<void | BuiltinSkipped> {
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
    // A fork's code is anybody's: its image gets a throwaway name and nothing else (run/build-names.ts).
    const fork = this.meta.fromFork;
    const target = step.publish && !fork
      ? publishTarget(step.name, step.publish, { registry: this.ctx.registry.address, app: this.app.name, pipelineImages: pipelineImages(b.pipeline) })
      : null;
    const extra = fork ? [] : settings.tags.flatMap((t) => {
      const value = t === '$describe' ? this.meta.describe : t;
      if (value === null) b.log(`--> no tag in this commit's history: skipping the $describe tag\n`);
      return value === null ? [] : [value.replace(/[^A-Za-z0-9_.-]/g, '-').slice(0, 128)];
    });
    let context: Readable;
    // Any image that is on this host works (the container is never started): one of a step that runs.
    const anyImage = b.pipeline.steps.find((s) => s.image !== null && s.skip === null)?.image ?? null;
    if (b.workspace && this.#exporter && anyImage) {
      context = await this.#exporter.exportWorkspace(b.workspace.volume, settings.context, anyImage);
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
    const name = fork ? throwawayName(this.ctx.instance, this.app.name, this.current.id) : `${repository}:${tag}`;
    if (fork) {
      this.#throwaway.push(name);
      b.log(`--> a pull request from a fork: built as ${name} (removed when the run ends), with no other tag, published nowhere\n`);
    }
    const ownTags = target?.kind === 'own' ? target.tags.map((t) => `${repository}:${t}`) : [];
    await this.ctx.engine.build({
      context,
      tag: name,
      extraTags: [...extra.map((t) => `${repository}:${t}`), ...ownTags],
      dockerfile: settings.dockerfile,
      target: settings.target,
      buildArgs: settings.args,
      labels: { 'io.slipway.app': this.app.name, 'io.slipway.commit': this.current.commit },
      onLog: b.log,
      signal: b.signal,
    });
    this.#built = fork ? null : { repository, tag, extra };
    if (step.publish && target) await this.#publish(step.publish, target, name, b);
  }

  /**
   * The push a docker-build plugin step (plugins/docker, buildx) would have made, with the login its settings give.
   * A name in another registry exists only for its push: tagged just before, untagged right after.
   */
  async #publish(publish: PublishSettings, target: PublishTarget, built: string, b: BuiltinContext): Promise<void> {
    const images = target.tags.map((t) => `${target.repository}:${t}`);
    if (!publish.push) {
      b.log(`--> dry run (${publish.plugin}): built ${target.kind === 'own' ? images.join(', ') : built}, not pushed\n`);
      return;
    }
    const credentials = target.kind === 'own' ? this.ctx.registry.credentials() : {
      // Docker Hub logins are keyed by its index address, as `docker login` stores them.
      serveraddress: publish.registry === 'docker.io' ? 'https://index.docker.io/v1/' : publish.registry,
      username: b.environment[publish.usernameEnv] ?? publish.username ?? '',
      password: new Secret(b.environment[publish.passwordEnv] ?? ''),
    };
    for (const image of images) {
      b.log(`--> pushing ${image} (${publish.plugin})\n`);
      if (target.kind === 'own') {
        await this.ctx.engine.push(image, credentials, b.log);
        continue;
      }
      await this.ctx.engine.tagImage(built, image);
      try {
        await this.ctx.engine.push(image, credentials, b.log);
      } finally {
        await this.ctx.engine.removeImage(image).catch((err: unknown) => b.log(`    warning: could not untag ${image}: ${String(err)}\n`));
      }
    }
  }

  async #push(b: BuiltinContext): Promise<void> {
    if (this.meta.fromFork) throw new SlipwayError('invalid_input', 'a pull request from a fork cannot push images');
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

  /** Removes what only this run needed (a fork's throwaway images); called once the run's steps are done. */
  async close(log: (text: string) => void): Promise<void> {
    for (const name of this.#throwaway.splice(0)) {
      await this.ctx.engine.removeImage(name).catch((err: unknown) => log(`    warning: could not remove ${name}: ${String(err)}\n`));
    }
  }

  async #deploy(step: StepPlan, b: BuiltinContext): Promise<void | BuiltinSkipped> {
    if (step.deploy?.stack) {
      const { stack, file } = step.deploy;
      return this.ctx.deploys.with(this.app.name, b.signal, b.log, async () => {
        // An older run must not replace a stack a newer run deployed.
        const last = await newerStackRun(this.ctx.store, this.app.name, stack, this.current.id);
        if (last !== null) {
          return { skipped: `superseded: run ${last}, queued after this one, has since deployed stack ${stack}; an older run never replaces a newer one` };
        }
        await this.#deployStack(stack, file ?? null, b);
        await recordStackRun(this.ctx.store, this.app.name, stack, this.current.id);
        return undefined;
      });
    }
    const image = this.#pinned;
    if (!image) throw new SlipwayError('invalid_input', 'deploy needs a pushed image: add build and push steps before it');
    return this.ctx.deploys.with(this.app.name, b.signal, b.log, async () => {
      const newer = await newerLiveRelease(this.ctx.store, this.app.name, this.current.id);
      if (newer) {
        return {
          skipped: `superseded: run ${newer.runId}, queued after this one, has since put release v${newer.number} live (commit ${newer.commit.slice(0, 12)}); an older run never replaces a newer one`,
        };
      }
      const release = await createBuiltRelease(this.ctx.store, this.app, this.current, image);
      await this.ctx.store.updateRun(this.current.id, { phase: 'deploy', releaseId: release.id });
      await rollOut(release, { ...this.ctx, log: b.log });
      await this.ctx.syncRoutes();
      this.deployed = true;
      return undefined;
    });
  }

  /** A stack reads its compose file as the build reads its context: from the workspace when there is one. */
  async #deployStack(stack: string, file: string | null, b: BuiltinContext): Promise<void> {
    const anyImage = b.pipeline.steps.find((s) => s.image !== null && s.skip === null)?.image ?? null;
    const workspace = b.workspace && this.#exporter && anyImage ? { exporter: this.#exporter, volume: b.workspace.volume, image: anyImage } : null;
    await runStackStep(
      { instance: this.ctx.instance, app: this.app.name, stack, file, commit: this.current.commit, image: this.#pinned },
      {
        engine: this.ctx.engine,
        registry: this.ctx.registry,
        environment: b.environment,
        deadlineMs: this.ctx.rolloutTimeoutMs,
        log: b.log,
        // Issue 13: every stack deploy is a release of the stack.
        deploy: async (plan, deployCtx, sources) => {
          await deployStackRelease({ app: this.app.name, plan, sources, runId: this.current.id, user: null, rollbackOf: null }, { ...deployCtx, store: this.ctx.store });
        },
        routes: { check: this.ctx.checkStackDomains, sync: this.ctx.syncRoutes },
        openSource: async (folder) => {
          if (workspace === null) return { stream: this.ctx.sources.open(this.current), rootedAt: 'repository' };
          const stream = await workspace.exporter.exportWorkspace(workspace.volume, folder, workspace.image).catch((err: unknown) => {
            // A folder that is not in the workspace holds no compose file: say that, not "bad build context".
            if (err instanceof SlipwayError && err.kind === 'invalid_input') return Readable.from([]);
            throw err;
          });
          return { stream, rootedAt: 'folder' };
        },
      },
    );
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
    // `${NAME}` in the URL comes from the step's environment: webhook URLs are usually secrets (`from_secret`).
    const url = step.notify.url.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (whole, name: string) => b.environment[name] ?? whole);
    if (!/^https?:\/\//.test(url)) {
      throw new SlipwayError('invalid_input', `step ${step.name}: the notify url is not an http(s) URL once its variables are filled in`, {
        hint: 'set the variable it names in the step\'s environment (e.g. from_secret) to the full webhook URL',
      });
    }
    // Made by the server, so the address is checked after DNS resolution and redirects are not followed (SSRF).
    const res = await postJson(url, body, this.ctx.outbound, { signal: b.signal, timeoutMs: 10_000 }).catch((err: unknown) => {
      const why = err instanceof Error ? err.message : String(err);
      throw new SlipwayError(err instanceof SlipwayError ? err.kind : 'dependency', `notification to ${new URL(url).host} failed: ${why}`, {
        ...(err instanceof SlipwayError && err.hint !== undefined ? { hint: err.hint } : {}),
      });
    });
    if (res.status < 200 || res.status > 299) throw new SlipwayError('dependency', `notification to ${new URL(url).host} answered HTTP ${res.status}`);
    b.log(`--> notified ${new URL(url).host}\n`);
  }
}

/** The images of a pipeline's steps and services: names a build may never take. */
function pipelineImages(pipeline: PipelinePlan): string[] {
  return [...pipeline.steps.map((s) => s.image), ...pipeline.services.map((s) => s.image)].filter((i): i is string => i !== null);
}
