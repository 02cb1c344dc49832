// An in-memory Store with the SQLite store's semantics, for fast unit tests of the stages that use it.

import type { App, Release, Run, RunError } from '../../core/types.js';
import { PRUNED_LOG_NOTE, type AuditEvent, type RunPatch, type Store } from '../../core/ports/store.js';
import { createMemoryAppConfig } from './memory-app-config.js';
import { createMemoryAppRepos } from './memory-app-repos.js';
import { appExists, checkLimit, domainTaken, notFound, queueFull, toJsonText } from './checks.js';
import { createMemoryUsers } from './memory-users.js';
import { createMemoryPipelines } from './memory-pipelines.js';
import { createMemorySchedules } from './memory-schedules.js';
import { createMemoryStackReleases } from './memory-stack-releases.js';
import type { StoreOptions } from './sqlite.js';

/** What SQLite would hand back after storing `value` as JSON text. */
function viaJson<T>(value: T, what: string): T {
  return JSON.parse(toJsonText(value, what)) as T;
}

// Every method body is synchronous after its first line, so each call is atomic like a SQLite transaction;
// values are copied in and out so callers cannot change stored state by mutating what they hold.
export function createMemoryStore(options: StoreOptions = {}): Store {
  const clock = options.now ?? (() => new Date());
  const now = (): string => clock().toISOString();
  const apps = new Map<string, App>();
  const runs: Run[] = [];
  const logs = new Map<number, string[]>();
  const prunedRuns = new Set<number>();
  const releases: Release[] = [];
  const settings = new Map<string, string>();
  const events: AuditEvent[] = [];
  const copy = <T>(value: T): T => structuredClone(value);
  const pipelines = createMemoryPipelines({ now, hasRun: (id) => runs.some((r) => r.id === id), hasApp: (name) => apps.has(name) });
  const appRepos = createMemoryAppRepos({ now, hasApp: (name) => apps.has(name) });
  const stackReleases = createMemoryStackReleases({ now, hasApp: (name) => apps.has(name) });
  const appConfig = createMemoryAppConfig({ now, hasApp: (name) => apps.has(name), hasRelease: (id) => releases.some((r) => r.id === id) });
  const schedules = createMemorySchedules({ now, hasRun: (id) => runs.some((r) => r.id === id), hasApp: (name) => apps.has(name) });

  // Like the SQLite unique index on apps.domain.
  const checkDomainFree = (domain: string, except: string): void => {
    const owner = [...apps.values()].find((a) => a.domain === domain && a.name !== except);
    if (owner !== undefined) throw domainTaken(domain, owner.name);
  };

  const findRun = (id: number): { i: number; run: Run } => {
    const i = runs.findIndex((r) => r.id === id);
    const run = runs[i];
    if (run === undefined) throw notFound(`run ${id}`, 'runId');
    return { i, run };
  };

  return {
    async createApp(app) {
      if (apps.has(app.name)) throw appExists(app.name);
      checkDomainFree(app.domain, app.name);
      const created: App = {
        name: app.name, domain: app.domain, port: app.port, replicas: app.replicas, branch: app.branch, concurrency: app.concurrency ?? 1, createdAt: now(),
      };
      apps.set(app.name, created);
      return copy(created);
    },
    async getApp(name) {
      const app = apps.get(name);
      return app === undefined ? null : copy(app);
    },
    async listApps() {
      return [...apps.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).map(copy);
    },
    async updateApp(name, patch) {
      const app = apps.get(name);
      if (app === undefined) throw notFound(`app ${JSON.stringify(name)}`, 'name');
      if (patch.domain !== undefined) checkDomainFree(patch.domain, name);
      const updated: App = {
        ...app,
        domain: patch.domain ?? app.domain,
        port: patch.port ?? app.port,
        replicas: patch.replicas ?? app.replicas,
        branch: patch.branch ?? app.branch,
        concurrency: patch.concurrency ?? app.concurrency,
      };
      apps.set(name, updated);
      return copy(updated);
    },
    async deleteApp(name) {
      apps.delete(name);
      pipelines.deleteApp(name);
      schedules.deleteApp(name);
      appRepos.deleteApp(name);
      stackReleases.deleteApp(name);
      appConfig.deleteApp(name);
    },

    async createRun(run, cap) {
      if (cap !== undefined) {
        const queued = runs.filter((r) => r.status === 'queued');
        const refused = queueFull(run.app, cap, queued.filter((r) => r.app === run.app).length, queued.length);
        if (refused !== null) throw refused;
      }
      pipelines.checkNewRun(run);
      const created: Run = {
        id: runs.length + 1,
        app: run.app,
        source: run.source,
        ref: run.ref,
        commit: run.commit,
        status: 'queued',
        phase: 'queued',
        targetRelease: run.targetRelease ?? null,
        releaseId: null,
        error: null,
        createdAt: now(),
        startedAt: null,
        finishedAt: null,
      };
      runs.push(created);
      pipelines.addRun(created.id, run);
      return copy(created);
    },
    async getRun(id) {
      const run = runs.find((r) => r.id === id);
      return run === undefined ? null : copy(run);
    },
    async listRuns(app, limit) {
      return runs.filter((r) => r.app === app).reverse().slice(0, checkLimit(limit)).map(copy);
    },
    async updateRun(id, patch) {
      const { i, run } = findRun(id);
      if (patch.releaseId != null && !releases.some((r) => r.id === patch.releaseId)) {
        throw notFound(`release id ${patch.releaseId}`, 'releaseId');
      }
      const updated = applyRunPatch(run, patch);
      runs[i] = updated;
      return copy(updated);
    },
    async runsWithStatus(status) {
      return runs.filter((r) => r.status === status).map(copy);
    },
    async claimNextRuns(startedAt, limit = Infinity) {
      const busy = new Map<string, number>();
      for (const r of runs) if (r.status === 'running') busy.set(r.app, (busy.get(r.app) ?? 0) + 1);
      // runs is in id order, so each app's queued runs come oldest first: rank 1 is the next one to go.
      const ranks = new Map<string, number>();
      const eligible: Array<{ index: number; rank: number }> = [];
      runs.forEach((run, index) => {
        if (run.status !== 'queued') return;
        const rank = (ranks.get(run.app) ?? 0) + 1;
        ranks.set(run.app, rank);
        if ((busy.get(run.app) ?? 0) + rank <= (apps.get(run.app)?.concurrency ?? 1)) eligible.push({ index, rank });
      });
      eligible.sort((a, b) => a.rank - b.rank || a.index - b.index);
      const claimed: Run[] = [];
      for (const { index } of eligible.slice(0, Number.isFinite(limit) ? limit : undefined)) {
        const started: Run = { ...runs[index]!, status: 'running', startedAt };
        runs[index] = started;
        claimed.push(copy(started));
      }
      return claimed.sort((a, b) => a.id - b.id);
    },
    async cancelQueuedRun(id, error, finishedAt) {
      const i = runs.findIndex((r) => r.id === id && r.status === 'queued');
      if (i === -1) return null;
      const cancelled = applyRunPatch(runs[i]!, { status: 'cancelled', phase: 'done', error, finishedAt });
      runs[i] = cancelled;
      return copy(cancelled);
    },
    async appendRunLog(runId, text) {
      findRun(runId);
      const chunks = logs.get(runId) ?? [];
      chunks.push(text);
      logs.set(runId, chunks);
    },
    async readRunLog(runId) {
      if (prunedRuns.has(runId)) return PRUNED_LOG_NOTE;
      return (logs.get(runId) ?? []).join('');
    },
    async pruneRunLogs(app, keep, finishedBefore) {
      checkLimit(keep);
      const mine = runs.filter((r) => r.app === app);
      // runs is in id order, so the app's newest are at its end.
      const newest = new Set(keep === 0 ? [] : mine.slice(-keep).map((r) => r.id));
      const old = mine.filter(
        (r) => r.finishedAt !== null && !prunedRuns.has(r.id) && (!newest.has(r.id) || (finishedBefore !== undefined && r.finishedAt < finishedBefore)),
      );
      for (const r of old) {
        prunedRuns.add(r.id);
        logs.delete(r.id);
        pipelines.pruneLogs(r.id);
      }
      return old.length;
    },

    async createRelease(release) {
      if (release.runId !== null && !runs.some((r) => r.id === release.runId)) throw notFound(`run ${release.runId}`, 'runId');
      const number = Math.max(0, ...releases.filter((r) => r.app === release.app).map((r) => r.number)) + 1;
      const { app, image, port, replicas, env } = release.spec;
      const created: Release = {
        id: releases.length + 1,
        app: release.app,
        number,
        image: release.image,
        commit: release.commit,
        runId: release.runId,
        spec: { ...viaJson({ app, image, port, replicas, env }, 'spec'), releaseNumber: number },
        status: 'deploying',
        rollbackOf: release.rollbackOf,
        createdAt: now(),
        deployedAt: null,
      };
      releases.push(created);
      return copy(created);
    },
    async getRelease(app, number) {
      const release = releases.find((r) => r.app === app && r.number === number);
      return release === undefined ? null : copy(release);
    },
    async getReleaseById(id) {
      const release = releases.find((r) => r.id === id);
      return release === undefined ? null : copy(release);
    },
    async listReleases(app) {
      return releases.filter((r) => r.app === app).sort((a, b) => b.number - a.number).map(copy);
    },
    async liveRelease(app) {
      const release = releases.find((r) => r.app === app && r.status === 'live');
      return release === undefined ? null : copy(release);
    },
    async setReleaseStatus(id, status, deployedAt) {
      const i = releases.findIndex((r) => r.id === id);
      const release = releases[i];
      if (release === undefined) throw notFound(`release id ${id}`, 'releaseId');
      if (status === 'live') {
        releases.forEach((r, j) => {
          if (r.app === release.app && r.status === 'live' && r.id !== id) releases[j] = { ...r, status: 'superseded' };
        });
      }
      const updated: Release = { ...release, status, deployedAt: deployedAt ?? release.deployedAt };
      releases[i] = updated;
      return copy(updated);
    },

    async getSetting(key) {
      return settings.get(key) ?? null;
    },
    async setSetting(key, value) {
      settings.set(key, value);
    },

    async recordEvent(type, app, data, origin) {
      const who = { actor: origin?.actor ?? null, source: origin?.source ?? null };
      events.push({ id: events.length + 1, type, app, data: viaJson(data, 'event data'), at: now(), ...who });
    },
    async listEvents(limit, filter = {}) {
      const max = checkLimit(limit);
      return events.filter((e) => filter.app === undefined || e.app === filter.app).reverse().slice(0, max).map(copy);
    },

    ...pipelines.methods,
    ...schedules.methods,
    ...appRepos.methods,
    ...stackReleases.methods,
    ...createMemoryUsers({ now }),
    ...appConfig.methods,

    async close() {},
  };
}

function applyRunPatch(run: Run, patch: RunPatch): Run {
  const error: RunError | null | undefined = patch.error == null ? patch.error : viaJson(patch.error, 'error');
  return {
    ...run,
    ...(patch.status !== undefined && { status: patch.status }),
    ...(patch.phase !== undefined && { phase: patch.phase }),
    ...(patch.releaseId !== undefined && { releaseId: patch.releaseId }),
    ...(error !== undefined && { error }),
    ...(patch.startedAt !== undefined && { startedAt: patch.startedAt }),
    ...(patch.finishedAt !== undefined && { finishedAt: patch.finishedAt }),
  };
}
