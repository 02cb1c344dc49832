// The sidebar's app list: name, site link, live release and replicas (loaded per app, after the list shows).

import type { AppSummary } from '../../core/api.js';
import type { ApiClient } from '../client/api-client.js';
import { byId, el } from './dom.js';
import { appHash } from '../client/format.js';
import { replicaSummary, siteLink } from './widgets.js';

export function showApps(api: ApiClient, apps: readonly AppSummary[], selected: string | null): void {
  const items = apps.map((app) => {
    const replicas = el('span', { class: 'replicas muted', text: 'checking…' });
    void loadReplicas(api, app.name, replicas);
    return el('li', { class: app.name === selected ? 'selected' : '' },
      el('a', { class: 'app-name', text: app.name, attrs: { href: appHash(app.name) } }),
      el('div', { class: 'app-meta' },
        siteLink(app.domain),
        el('span', { class: 'release', text: app.liveRelease === null ? 'no release' : `release #${app.liveRelease}` }),
        replicas));
  });
  byId('app-list').replaceChildren(...(items.length > 0 ? items
    : [el('li', { class: 'muted empty', text: 'No apps yet. Create one below.' })]));
}

async function loadReplicas(api: ApiClient, name: string, target: HTMLElement): Promise<void> {
  try {
    const status = await api.status(name);
    target.replaceWith(replicaSummary(status.replicas));
  } catch (err) {
    target.textContent = 'status unavailable';
    target.title = err instanceof Error ? err.message : String(err);
  }
}

export function markSelected(selected: string | null): void {
  for (const link of byId('app-list').querySelectorAll('a.app-name')) {
    link.closest('li')?.classList.toggle('selected', link.textContent === selected);
  }
}
