// The in-memory Store's app repositories, with the SQLite store's semantics.

import type { AppRepo, Store } from '../../core/ports/store.js';
import { appRepoNotFound, checkSealed, notFound } from './checks.js';

type AppRepoMethods = Pick<Store, 'setAppRepo' | 'getAppRepo' | 'deleteAppRepo'>;

export interface MemoryAppRepos {
  readonly methods: AppRepoMethods;
  /** deleteApp calls this: the repository link goes with its app. */
  deleteApp(name: string): void;
}

export function createMemoryAppRepos(deps: { now(): string; hasApp(name: string): boolean }): MemoryAppRepos {
  const repos = new Map<string, AppRepo>();
  const methods: AppRepoMethods = {
    async setAppRepo(repo) {
      checkSealed(repo.webhookSecret);
      if (repo.token !== null) checkSealed(repo.token);
      if (!deps.hasApp(repo.app)) throw notFound(`app ${JSON.stringify(repo.app)}`, 'app');
      const stored: AppRepo = { app: repo.app, url: repo.url, webhookSecret: repo.webhookSecret, token: repo.token, forge: repo.forge, updatedAt: deps.now() };
      repos.set(repo.app, stored);
      return { ...stored };
    },
    async getAppRepo(app) {
      const repo = repos.get(app);
      return repo === undefined ? null : { ...repo };
    },
    async deleteAppRepo(app) {
      if (!repos.delete(app)) throw appRepoNotFound(app);
    },
  };
  return { methods, deleteApp: (name) => repos.delete(name) };
}
