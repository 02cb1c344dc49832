// The detail pane of one app: its head, status card (live release, replicas, tasks) and the cards it refreshes.

import type { AppStatus, AppSummary } from '../../core/api.js';
import type { Dashboard } from './context.js';
import { byId, el, maybeById } from './dom.js';
import { appHash, RUNS_SHOWN, shortDigest } from '../client/format.js';
import { configCard, refreshConfigPanel } from './config-panel.js';
import { releasesView, runsView } from './history.js';
import { stacksView } from './stacks-panel.js';
import { badge, replicaSummary, showError, siteLink, table, when } from './widgets.js';

/** Empties the pane for `name` (or shows the hint when no app is selected); refreshDetail fills the cards. */
export function buildDetail(name: string | null, apps: readonly AppSummary[]): void {
  const detail = byId('detail');
  if (name === null) {
    detail.replaceChildren(el('p', { class: 'muted empty', text: 'Select an app to see its status, releases and runs.' }));
    return;
  }
  const summary = apps.find((app) => app.name === name);
  detail.replaceChildren(
    el('div', { class: 'detail-head' },
      el('h1', { text: name }),
      summary ? siteLink(summary.domain) : null),
    el('div', { class: 'error-box', hidden: true, attrs: { id: 'detail-error', role: 'alert' } }),
    el('section', { class: 'card', attrs: { id: 'status-card' } }, el('h2', { text: 'Status' }), el('p', { class: 'muted', text: 'Loading…' })),
    el('section', { class: 'card', hidden: true, attrs: { id: 'log-card' } }),
    el('section', { class: 'card', attrs: { id: 'releases-card' } }, el('h2', { text: 'Releases' })),
    el('section', { class: 'card', attrs: { id: 'runs-card' } }, el('h2', { text: 'Recent runs' })),
    el('section', { class: 'card', attrs: { id: 'stacks-card' } }, el('h2', { text: 'Stacks' })),
    configCard());
}

export async function refreshDetail(ctx: Dashboard): Promise<void> {
  const { api, state } = ctx;
  const name = state.selected;
  if (name === null) return;
  const seq = ++state.detailSeq;
  void refreshConfigPanel(ctx, name);
  try {
    const [status, releases, runs] = await Promise.all([api.status(name), api.releases(name), api.runs(name)]);
    if (seq !== state.detailSeq || name !== state.selected) return;
    byId('detail-error').hidden = true;
    byId('status-card').replaceChildren(el('h2', { text: 'Status' }), ...statusView(status));
    byId('releases-card').replaceChildren(el('h2', { text: 'Releases' }), releasesView(ctx, name, releases));
    byId('runs-card').replaceChildren(el('h2', { text: 'Recent runs' }), runsView(name, runs.slice(0, RUNS_SHOWN), state.runId));
    // Issue 13: the stacks card reports its own errors inside it.
    const stacks = await stacksView(ctx, name);
    if (seq === state.detailSeq && name === state.selected) maybeById('stacks-card')?.replaceChildren(el('h2', { text: 'Stacks' }), ...stacks);
  } catch (err) {
    const box = maybeById('detail-error');
    if (seq === state.detailSeq && box) showError(box, err);
  }
}

function statusView(status: AppStatus): HTMLElement[] {
  const { release, replicas, lastRun } = status;
  const facts: [string, Node | string][] = [
    ['Live release', release ? el('span', {}, `#${release.number} `, badge(release.status)) : 'none yet'],
    ['Image', release ? el('code', { text: shortDigest(release.image), attrs: { title: release.image } }) : '—'],
    ['Replicas', el('span', {}, replicaSummary(replicas), el('span', { class: 'muted', text: ` · ${replicas.healthy} healthy` }))],
    ['Last run', lastRun ? el('span', {}, el('a', { text: `#${lastRun.id}`, attrs: { href: appHash(status.app.name, lastRun.id) } }), ' ', badge(lastRun.status)) : 'none yet'],
  ];
  const tasks = Array.isArray(status.tasks) ? status.tasks : [];
  return [
    el('dl', { class: 'facts' }, facts.map(([term, value]) => el('div', {}, el('dt', { text: term }), el('dd', {}, value)))),
    el('h3', { text: `Tasks (${tasks.length})` }),
    tasks.length === 0 ? el('p', { class: 'muted', text: 'No tasks are running.' })
      : table(['Task', 'State', 'Desired', 'Node', 'Message', 'Updated'], tasks.map((task) => el('tr', {},
        el('td', {}, el('code', { text: task.id.slice(0, 12), attrs: { title: task.id } })),
        el('td', {}, badge(task.state, task.state === 'running' ? 'live' : task.error ? 'failed' : 'neutral')),
        el('td', { text: task.desiredState }),
        el('td', { text: task.node ?? '—' }),
        el('td', { class: task.error ? 'error-text' : '', text: task.error ?? task.message }),
        el('td', {}, when(task.updatedAt))))),
  ];
}
