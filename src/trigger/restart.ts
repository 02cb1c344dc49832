// Restart: a new run of the same source that reuses a failed run's kept workspace and skips the steps that succeeded.
// It keeps everything that says where the run came from (event, fork, source branch, schedule, environment), so a
// restarted fork step gets no secrets either.

import { SlipwayError } from '../core/errors.js';
import type { Store } from '../core/ports/store.js';
import type { Run } from '../core/types.js';
import type { Enqueue } from './enqueue.js';

export interface RestartDeps {
  readonly store: Store;
  readonly enqueue: Enqueue;
}

export class Restarts {
  /** Restarts are checked and queued one at a time, so two requests at once cannot both pass the workspace check. */
  #restarts: Promise<unknown> = Promise.resolve();

  constructor(private readonly d: RestartDeps) {}

  restart(runId: number): Promise<Run> {
    const next = this.#restarts.then(() => this.#restart(runId));
    this.#restarts = next.catch(() => undefined);
    return next;
  }

  async #restart(runId: number): Promise<Run> {
    const r = await this.d.store.getRun(runId);
    if (!r) throw new SlipwayError('not_found', `no run ${runId}`, { hint: 'list runs with `slipway runs <app>`' });
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
    await this.#assertWorkspaceFree(r, details.workspace);
    return this.d.enqueue({
      app: r.app, source: r.source, ref: r.ref, commit: r.commit, event: details.event, params: details.params, cronName: details.cronName,
      target: details.target, fromFork: details.fromFork, sourceBranch: details.sourceBranch, restartOf: r.id,
    });
  }

  /**
   * A restart works in the kept workspace volumes; a failed restart keeps the same ones, so restarting run 10 and its
   * failed restart 12 would be two runs in one workspace. With an app concurrency above 1 they could overlap.
   */
  async #assertWorkspaceFree(r: Run, workspace: string): Promise<void> {
    const { store } = this.d;
    const volumes = new Set(Object.values(JSON.parse(workspace) as Record<string, string>));
    for (const other of [...(await store.runsWithStatus('queued')), ...(await store.runsWithStatus('running'))]) {
      if (other.app !== r.app) continue;
      const source = (await store.getRunDetails(other.id))?.restartOf ?? null;
      const kept = source === null ? null : (await store.getRunDetails(source))?.workspace ?? null;
      const shared = kept !== null && Object.values(JSON.parse(kept) as Record<string, string>).some((v) => volumes.has(v));
      if (shared) {
        throw new SlipwayError('conflict', `run ${r.id} is already being restarted as run ${other.id}, in the same workspace`, {
          hint: `follow it with \`slipway runs logs ${other.id} -f\`, or cancel it first (\`slipway runs cancel ${other.id}\`)`,
        });
      }
    }
  }
}
