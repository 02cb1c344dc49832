// What users can do with an app's compose stacks (issue 13): deploy (a queued run), lint, list, see services and
// tasks, releases, roll back (a queued run), diff two releases, remove. Every change is recorded in the audit log.

import { createHash } from 'node:crypto';
import { SlipwayError } from '../core/errors.js';
import type {
  StackDiffResponse, StackFileText, StackLintResponse, StackReleaseSummary, StackServiceStatus, StackSummaryItem,
} from '../core/api.js';
import { STACK_NAME } from '../core/naming.js';
import type { EnginePort } from '../core/ports/engine.js';
import type { StackRelease } from '../core/ports/stack-releases.js';
import type { Store } from '../core/ports/store.js';
import type { App, Run } from '../core/types.js';
import { STACK_LABEL, appStackLabels, composeNameOf, type StackPlan } from '../converge/stack-plan.js';
import { diffStackPlans } from '../release/stack-diff.js';
import { stackRollbackTarget, unknownStack } from '../release/stack-rollback-target.js';
import type { DeployLock } from '../run/deploy-lock.js';
import { STACK_PARAM, STACK_USER_PARAM, planOf, stackSourcesKey } from '../run/stack-runs.js';
import type { Enqueue } from '../trigger/enqueue.js';
import { followApp } from '../trigger/stack-follow.js';
import type { Apps } from './apps.js';

export interface StackOpsDeps {
  readonly store: Store;
  readonly apps: Pick<Apps, 'get'>;
  readonly engine: EnginePort;
  readonly enqueue: Enqueue;
  /** The app's deploy lock: removing a stack waits for a deploy of the app in progress. */
  readonly deploys: DeployLock;
  readonly instance: string;
}

export class StackOps {
  constructor(private readonly d: StackOpsDeps) {}

  /** Stacks with a release or with services running, sorted by name. */
  async list(appName: string): Promise<StackSummaryItem[]> {
    const app = await this.d.apps.get(appName);
    const running = (await this.d.engine.listServices(appStackLabels(this.d.instance, app.name))).filter((s) => s.labels[STACK_LABEL] !== undefined);
    const names = new Set([...(await this.d.store.listStackNames(app.name)), ...running.map((s) => s.labels[STACK_LABEL] as string)]);
    const out: StackSummaryItem[] = [];
    for (const name of [...names].sort()) {
      const releases = await this.d.store.listStackReleases(app.name, name);
      out.push({
        name,
        liveRelease: releases.find((r) => r.status === 'live')?.number ?? null,
        releases: releases.length,
        services: running.filter((s) => s.labels[STACK_LABEL] === name).length,
      });
    }
    return out;
  }

  /** Reads the files into a plan without deploying: every problem with its line and column, or the services. */
  async lint(appName: string, stack: string, files: readonly StackFileText[]): Promise<StackLintResponse> {
    const app = await this.d.apps.get(appName);
    const plan = planOf(files, { instance: this.d.instance, app: app.name, stack: checkStackName(stack), commit: digestOf(files) });
    return { services: plan.services.map((s) => ({ name: composeNameOf(s), image: s.image, replicas: s.replicas })) };
  }

  /**
   * Checks the files now (an invalid file changes nothing and queues nothing), then queues the deploy as a run.
   * `redeployOn`: apps whose every new release deploys the stack again with their new image (opt-in).
   */
  async deploy(appName: string, stack: string, files: readonly StackFileText[], user: string | null, redeployOn: readonly string[] = []): Promise<Run> {
    const app = await this.d.apps.get(appName);
    await this.lint(app.name, stack, files);
    // TODO(issue 12, users): only apps of the same user may be followed; today every app is checked to exist.
    const leaders = await Promise.all(redeployOn.map(async (name) => (await this.d.apps.get(name)).name));
    const digest = digestOf(files);
    await this.d.store.setSetting(stackSourcesKey(digest), JSON.stringify(files.map((f) => ({ path: f.path, text: f.text }))));
    const run = await this.d.enqueue({ app: app.name, source: 'upload', ref: `stack:${stack}`, commit: digest, params: params(stack, user) });
    for (const leader of leaders) await followApp(this.d.store, leader, { app: app.name, stack });
    await this.d.store.recordEvent('stack.deploy', app.name, { stack, runId: run.id, files: files.map((f) => f.path), user, ...(leaders.length > 0 ? { redeployOn: leaders } : {}) });
    return run;
  }

  async releases(appName: string, stack: string): Promise<StackReleaseSummary[]> {
    const { releases } = await this.#known(appName, stack);
    return releases.map(summary);
  }

  async release(appName: string, stack: string, number: number): Promise<StackRelease> {
    const { app, releases } = await this.#known(appName, stack);
    return findRelease(releases, number, app, stack);
  }

  /** Checks the target now (unknown or never live: refused at once), then queues the rollback as a run. */
  async rollback(appName: string, stack: string, number: number | null, user: string | null): Promise<Run> {
    const { app, releases } = await this.#known(appName, stack);
    const target = stackRollbackTarget(releases, number, { app: app.name, stack });
    const run = await this.d.enqueue({ app: app.name, source: 'rollback', ref: `stack:${stack}`, commit: '', targetRelease: target.number, params: params(stack, user) });
    await this.d.store.recordEvent('stack.rollback', app.name, { stack, release: target.number, runId: run.id, user });
    return run;
  }

  async diff(appName: string, stack: string, from: number, to: number): Promise<StackDiffResponse> {
    const { app, releases } = await this.#known(appName, stack);
    const a = findRelease(releases, from, app, stack);
    const b = findRelease(releases, to, app, stack);
    return { from, to, services: diffStackPlans(a.plan as StackPlan, b.plan as StackPlan).map((d) => ({ ...d, details: [...d.details] })) };
  }

  /** The stack's services as Swarm runs them now, with their tasks. */
  async services(appName: string, stack: string): Promise<StackServiceStatus[]> {
    const app = await this.d.apps.get(appName);
    const releases = await this.d.store.listStackReleases(app.name, stack);
    const running = await this.d.engine.listServices({ ...appStackLabels(this.d.instance, app.name), [STACK_LABEL]: stack });
    if (releases.length === 0 && running.length === 0) throw unknownStack({ app: app.name, stack });
    const live = (releases.find((r) => r.status === 'live')?.plan ?? null) as StackPlan | null;
    const out: StackServiceStatus[] = [];
    for (const s of running) {
      const def = live?.services.find((x) => x.serviceName === s.serviceName) ?? null;
      const tasks = (await this.d.engine.listTaskProgress(s.serviceName)).map(({ current: _current, ...t }) => t);
      out.push({
        name: def ? composeNameOf(def) : s.labels['io.slipway.stack.service'] ?? s.serviceName,
        serviceName: s.serviceName,
        image: def?.image ?? null,
        desired: def?.replicas ?? null,
        running: tasks.filter((t) => t.state === 'running').length,
        tasks,
      });
    }
    return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** Removes the stack's services, then its network, then its releases; waits for a deploy of the app in progress. */
  async remove(appName: string, stack: string, user: string | null): Promise<string[]> {
    const app = await this.d.apps.get(appName);
    const labels = { ...appStackLabels(this.d.instance, app.name), [STACK_LABEL]: stack };
    return this.d.deploys.with(app.name, undefined, () => undefined, async () => {
      const services = await this.d.engine.listServices(labels);
      const released = await this.d.store.listStackNames(app.name);
      if (services.length === 0 && !released.includes(stack)) throw unknownStack({ app: app.name, stack });
      for (const s of services) await this.d.engine.removeService(s.serviceName);
      for (const n of await this.d.engine.listNetworks(labels)) await this.d.engine.removeNetwork(n.name);
      await this.d.store.deleteStackReleases(app.name, stack);
      await this.d.store.recordEvent('stack.removed', app.name, { stack, services: services.map((s) => s.serviceName), user });
      return services.map((s) => s.serviceName);
    });
  }

  async #known(appName: string, stack: string): Promise<{ app: App; releases: StackRelease[] }> {
    const app = await this.d.apps.get(appName);
    const releases = await this.d.store.listStackReleases(app.name, stack);
    if (releases.length === 0) throw unknownStack({ app: app.name, stack });
    return { app, releases };
  }
}

function checkStackName(stack: string): string {
  if (!STACK_NAME.test(stack)) {
    throw new SlipwayError('invalid_input', `invalid stack name "${stack.slice(0, 40)}"`, {
      field: 'stack',
      hint: 'use 1–32 characters: lowercase letters, digits and "-", starting with a letter and not ending with "-"',
    });
  }
  return stack;
}

function params(stack: string, user: string | null): Record<string, string> {
  return { [STACK_PARAM]: stack, ...(user !== null ? { [STACK_USER_PARAM]: user } : {}) };
}

/** The run's "commit" of a stack deploy: the sha256 of the files, as an upload's is of its archive. */
function digestOf(files: readonly StackFileText[]): string {
  return createHash('sha256').update(JSON.stringify(files.map((f) => [f.path, f.text]))).digest('hex');
}

function findRelease(releases: readonly StackRelease[], number: number, app: App, stack: string): StackRelease {
  const found = releases.find((r) => r.number === number);
  if (!found) {
    throw new SlipwayError('not_found', `stack ${stack} of app ${app.name} has no release ${number}`, {
      field: 'release',
      hint: `list the releases with \`slipway stacks releases ${stack} --app ${app.name}\``,
    });
  }
  return found;
}

function summary(r: StackRelease): StackReleaseSummary {
  const plan = r.plan as Partial<StackPlan> | null;
  const images = Object.fromEntries((plan?.services ?? []).map((s) => [composeNameOf(s), s.image]));
  return {
    number: r.number, status: r.status, runId: r.runId, user: r.user, rollbackOf: r.rollbackOf, error: r.error,
    createdAt: r.createdAt, deployedAt: r.deployedAt, images, files: r.sources.map((s) => s.path),
  };
}
