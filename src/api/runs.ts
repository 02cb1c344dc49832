// What users can do with runs beyond deploying: cancel, restart from the failed step, start a manual run,
// read steps and step logs; and with app secrets.

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { asRecord } from '../adapters/docker/convert.js';
import type { Sealer } from '../adapters/secrets/sealer.js';
import { SlipwayError } from '../core/errors.js';
import { isEnvName } from '../core/names.js';
import type { EventBus } from '../core/events.js';
import type { NewRun, Store } from '../core/ports/store.js';
import type { Run } from '../core/types.js';
import type { Cancellations } from '../run/cancellations.js';
import type { RunQueue } from '../run/queue.js';
import type { GitRepos } from '../trigger/git-repos.js';
import type { Apps } from './apps.js';
import { enqueueRun } from './enqueue.js';

const run = promisify(execFile);

export interface RunOpsDeps {
  readonly store: Store;
  readonly bus: EventBus;
  readonly apps: Apps;
  readonly queue: RunQueue;
  readonly repos: GitRepos;
  readonly cancellations: Cancellations;
  readonly sealer: Sealer;
}

export class RunOps {
  /** Restarts are checked and queued one at a time, so two requests at once cannot both pass the workspace check. */
  #restarts: Promise<unknown> = Promise.resolve();

  constructor(private readonly d: RunOpsDeps) {}

  async get(id: string | number): Promise<Run> {
    const found = /^[0-9]+$/.test(String(id)) ? await this.d.store.getRun(Number(id)) : null;
    if (!found) throw new SlipwayError('not_found', `no run ${id}`, { hint: 'list runs with `slipway runs <app>`' });
    return found;
  }

  /** Why a queued run has not started yet; null when it is not waiting. */
  async waitingFor(r: Run): Promise<string | null> {
    if (r.status !== 'queued') return null;
    const running = await this.d.store.runsWithStatus('running');
    const concurrency = (await this.d.store.getApp(r.app))?.concurrency ?? 1;
    const setting = concurrency === 1
      ? `one run of ${r.app} at a time; \`slipway apps set ${r.app} --concurrency <n>\` allows more`
      : `its concurrency setting lets ${r.app} run ${concurrency} at a time`;
    const active = running.filter((x) => x.app === r.app);
    if (active.length >= concurrency) {
      return `waiting for ${active.length === 1 ? `run ${active[0]!.id}` : `runs ${active.map((x) => x.id).join(', ')}`} of ${r.app} to finish (${setting})`;
    }
    const ahead = (await this.d.store.runsWithStatus('queued')).filter((x) => x.app === r.app && x.id < r.id);
    if (active.length + ahead.length >= concurrency) {
      return `waiting behind run ${ahead[0]!.id} of ${r.app}, queued before it (${setting})`;
    }
    const capacity = this.d.queue.capacity;
    if (running.length >= capacity) {
      const ids = running.map((x) => `${x.id} (${x.app})`).join(', ');
      return `no free run slot: this server runs at most ${capacity} runs at a time (SLIPWAY_MAX_RUNS) and ${running.length} are running: ${ids}`;
    }
    return 'waiting to be picked up';
  }

  async cancel(id: string): Promise<Run> {
    let r = await this.get(id);
    if (r.status === 'queued') {
      const error = { kind: 'cancelled', message: 'cancelled before it started' };
      // Conditional on still being queued: the queue may have claimed it since it was read.
      const done = await this.d.store.cancelQueuedRun(r.id, error, new Date().toISOString());
      if (done) {
        await this.d.store.recordEvent('run.cancelled', r.app, { runId: r.id });
        this.d.bus.emit('run.finished', { runId: r.id, app: r.app, status: 'cancelled', error });
        return done;
      }
      r = await this.get(id);
    }
    if (r.status !== 'running') throw new SlipwayError('conflict', `run ${r.id} already ${r.status}`);
    if (r.phase === 'deploy') {
      // A rollout is not interrupted half-way: it ends live or rolled back.
      throw new SlipwayError('conflict', `run ${r.id} is rolling out a release and cannot be cancelled now`, {
        hint: `wait for it to finish, then \`slipway rollback ${r.app}\` if you do not want this release`,
      });
    }
    await this.d.store.updateRunDetails(r.id, { cancelRequested: true });
    if (!this.d.cancellations.cancel(r.id)) {
      throw new SlipwayError('conflict', `run ${r.id} is not executing in this server right now`, { hint: 'try again in a moment' });
    }
    return r;
  }

  /** A new run of the same source that reuses the failed run's workspace and skips the steps that succeeded. */
  restart(id: string): Promise<Run> {
    const next = this.#restarts.then(() => this.#restart(id));
    this.#restarts = next.catch(() => undefined);
    return next;
  }

  async #restart(id: string): Promise<Run> {
    const r = await this.get(id);
    if (r.source === 'rollback') {
      throw new SlipwayError('conflict', `run ${r.id} is a rollback and cannot be restarted`, {
        hint: `roll back again (\`slipway rollback ${r.app} <release>\`), which runs its rollback steps again`,
      });
    }
    const details = await this.d.store.getRunDetails(r.id);
    if (r.status !== 'failed' || !details?.workspace || details.plan === null) {
      throw new SlipwayError('conflict', `run ${r.id} cannot be restarted from a failed step`, {
        hint: 'only a failed pipeline run whose workspace was kept can be restarted; push again to start fresh',
      });
    }
    // A restart works in the kept workspace volumes; a failed restart keeps the same ones, so restarting run 10 and its
    // failed restart 12 would be two runs in one workspace. With an app concurrency above 1 they could overlap.
    const volumes = new Set(Object.values(JSON.parse(details.workspace) as Record<string, string>));
    for (const other of [...(await this.d.store.runsWithStatus('queued')), ...(await this.d.store.runsWithStatus('running'))]) {
      if (other.app !== r.app) continue;
      const source = (await this.d.store.getRunDetails(other.id))?.restartOf ?? null;
      const kept = source === null ? null : (await this.d.store.getRunDetails(source))?.workspace ?? null;
      const shared = kept !== null && Object.values(JSON.parse(kept) as Record<string, string>).some((v) => volumes.has(v));
      if (shared) {
        throw new SlipwayError('conflict', `run ${r.id} is already being restarted as run ${other.id}, in the same workspace`, {
          hint: `follow it with \`slipway runs logs ${other.id} -f\`, or cancel it first (\`slipway runs cancel ${other.id}\`)`,
        });
      }
    }
    return this.enqueue({ app: r.app, source: r.source, ref: r.ref, commit: r.commit, event: details.event, params: details.params, cronName: details.cronName, target: details.target, restartOf: r.id });
  }

  /**
   * Promote: the same commit as a finished run, again, as a `deploy` event to a named environment
   * (Drone's promote, Woodpecker's deployment): `when: { event: deploy/promote, target/environment }` pick the steps.
   */
  async promote(id: string, body: unknown): Promise<Run> {
    const r = await this.get(id);
    const environment = asRecord(body).environment;
    if (typeof environment !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/.test(environment)) {
      throw new SlipwayError('invalid_input', `invalid environment ${JSON.stringify(environment)}`, {
        field: 'environment',
        hint: 'name the environment to promote to, e.g. {"environment":"production"}',
      });
    }
    if (r.source === 'rollback') throw new SlipwayError('conflict', `run ${r.id} is a rollback; promote a run that built a commit`);
    const details = await this.d.store.getRunDetails(r.id);
    return this.enqueue({ app: r.app, source: r.source, ref: r.ref, commit: r.commit, event: 'deploy', params: details?.params ?? {}, target: environment });
  }

  /** A manual run of the head of a branch (default: the app's deploy branch), with parameters. */
  async manual(appName: string, body: unknown): Promise<Run> {
    const app = await this.d.apps.get(appName);
    const b = asRecord(body);
    const branch = typeof b.branch === 'string' ? b.branch : app.branch;
    const params: Record<string, string> = {};
    for (const [k, v] of Object.entries(asRecord(b.params))) {
      if (!isEnvName(k) || typeof v !== 'string') {
        throw new SlipwayError('invalid_input', `invalid parameter ${JSON.stringify(k)}`, { field: 'params', hint: 'use NAME=value pairs; NAME is letters, digits and _' });
      }
      params[k] = v;
    }
    const commit = await run('git', ['-C', this.d.repos.dirOf(app.name), 'rev-parse', '--verify', `refs/heads/${branch}^{commit}`]).then(
      (r) => r.stdout.trim(),
      () => {
        throw new SlipwayError('not_found', `branch ${branch} has not been pushed to ${app.name}`, { field: 'branch', hint: 'push it first (`git push slipway <branch>`)' });
      },
    );
    return this.enqueue({ app: app.name, source: 'git', ref: `refs/heads/${branch}`, commit, event: 'manual', params });
  }

  async setSecret(appName: string, body: unknown): Promise<void> {
    const app = await this.d.apps.get(appName);
    const b = asRecord(body);
    if (typeof b.name !== 'string' || typeof b.value !== 'string' || b.value === '') {
      throw new SlipwayError('invalid_input', 'a secret needs a name and a non-empty value', { hint: 'send {"name":"API_KEY","value":"…"}' });
    }
    await this.d.store.setSecret(app.name, b.name, this.d.sealer.seal(b.value));
    await this.d.store.recordEvent('secret.set', app.name, { name: b.name });
  }

  /** Queues a run as every trigger does: stored, audited, announced on the bus, and the queue kicked. */
  async enqueue(newRun: NewRun): Promise<Run> {
    return enqueueRun(this.d, newRun);
  }
}
