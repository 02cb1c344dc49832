// The in-memory Store's stack releases (issue 13), with the SQLite store's semantics.

import type { StackRelease, StackReleaseStore } from '../../core/ports/stack-releases.js';
import { notFound, toJsonText } from './checks.js';

export interface MemoryStackReleases {
  readonly methods: StackReleaseStore;
  /** deleteApp calls this: a stack's releases go with its app. */
  deleteApp(name: string): void;
}

export function createMemoryStackReleases(deps: { now(): string; hasApp(name: string): boolean }): MemoryStackReleases {
  let releases: StackRelease[] = [];
  let nextId = 1;
  // What SQLite hands back: JSON columns go through text, so no caller shares an object with the store.
  const copy = (r: StackRelease): StackRelease => JSON.parse(toJsonText(r, 'stack release')) as StackRelease;
  const methods: StackReleaseStore = {
    async createStackRelease(r) {
      if (!deps.hasApp(r.app)) throw notFound(`app ${JSON.stringify(r.app)}`, 'app');
      const number = 1 + Math.max(0, ...releases.filter((x) => x.app === r.app && x.stack === r.stack).map((x) => x.number));
      const created: StackRelease = {
        id: nextId++, app: r.app, stack: r.stack, number, plan: JSON.parse(toJsonText(r.plan, 'plan')) as unknown,
        sources: r.sources.map((s) => ({ path: s.path, text: s.text })), runId: r.runId, user: r.user, rollbackOf: r.rollbackOf,
        status: 'deploying', error: null, createdAt: deps.now(), deployedAt: null,
      };
      releases.push(created);
      return copy(created);
    },
    async listStackReleases(app, stack) {
      return releases.filter((r) => r.app === app && r.stack === stack).sort((a, b) => b.number - a.number).map(copy);
    },
    async getStackRelease(app, stack, number) {
      const found = releases.find((r) => r.app === app && r.stack === stack && r.number === number);
      return found === undefined ? null : copy(found);
    },
    async setStackReleaseStatus(id, status, error = null) {
      const i = releases.findIndex((r) => r.id === id);
      const current = releases[i];
      if (current === undefined) throw notFound(`stack release ${id}`, 'id');
      const updated: StackRelease = { ...current, status, error, deployedAt: status === 'live' ? deps.now() : current.deployedAt };
      releases[i] = updated;
      return copy(updated);
    },
    async listStackNames(app) {
      return [...new Set(releases.filter((r) => r.app === app).map((r) => r.stack))].sort();
    },
    async deleteStackReleases(app, stack) {
      const before = releases.length;
      releases = releases.filter((r) => !(r.app === app && r.stack === stack));
      return before - releases.length;
    },
  };
  return { methods, deleteApp: (name) => { releases = releases.filter((r) => r.app !== name); } };
}
