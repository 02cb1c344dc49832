// The releases card (with "roll back to this") and the recent-runs card (with each failed run's error and hint).

import type { Release, Run } from '../../core/types.js';
import { ApiError } from '../client/api-client.js';
import type { Dashboard } from './context.js';
import { el } from './dom.js';
import { appHash, runSourceText, shortCommit, shortDigest } from '../client/format.js';
import { notify, notifyError } from './notice.js';
import { badge, errorLines, table, when } from './widgets.js';

export function releasesView(ctx: Dashboard, app: string, releases: readonly Release[]): HTMLElement {
  if (releases.length === 0) return el('p', { class: 'muted', text: 'No releases yet: push to the git remote to deploy.' });
  return table(['Release', 'Status', 'Commit', 'Image', 'Created', ''], releases.map((release) => el('tr', {},
    el('td', {}, `#${release.number}`, release.rollbackOf !== null ? el('span', { class: 'muted', text: ` (of #${release.rollbackOf})` }) : null),
    el('td', {}, badge(release.status)),
    el('td', {}, el('code', { text: shortCommit(release.commit), attrs: { title: release.commit } })),
    el('td', {}, el('code', { text: shortDigest(release.image), attrs: { title: release.image } })),
    el('td', {}, when(release.createdAt)),
    el('td', { class: 'actions' }, release.status === 'live' ? null
      : el('button', { class: 'button', text: 'Roll back to this', attrs: { type: 'button' },
        onClick: (event) => void rollBack(ctx, app, release, event.currentTarget as HTMLButtonElement) })))));
}

async function rollBack(ctx: Dashboard, app: string, release: Release, button: HTMLButtonElement): Promise<void> {
  const question = `Roll back "${app}" to release #${release.number} (commit ${shortCommit(release.commit)})?\n\n`
    + 'Its image is deployed again with a health check; the current release stays in the history.';
  if (!window.confirm(question)) return;
  button.disabled = true;
  try {
    const run = await ctx.api.rollback(app, release.number);
    notify('info', [el('p', { text: `Rollback of ${app} to release #${release.number} started as run #${run.id}.` })]);
    ctx.go(appHash(app, run.id));
    await ctx.refreshDetail();
  } catch (err) {
    notifyError(err);
  } finally {
    button.disabled = false;
  }
}

export function runsView(app: string, runs: readonly Run[], currentRunId: number | null): HTMLElement {
  if (runs.length === 0) return el('p', { class: 'muted', text: 'No runs yet.' });
  return table(['Run', 'Source', 'Status', 'Commit', 'Created', ''], runs.flatMap((run) => {
    const row = el('tr', { class: run.id === currentRunId ? 'current' : '', dataset: { run: String(run.id) } },
      el('td', { text: `#${run.id}` }),
      el('td', { text: runSourceText(run) }),
      el('td', {}, badge(run.status), run.status === 'running' ? el('span', { class: 'muted', text: ` ${run.phase}` }) : null),
      el('td', {}, el('code', { text: shortCommit(run.commit), attrs: { title: run.commit } }), run.ref ? el('span', { class: 'muted', text: ` ${run.ref}` }) : null),
      el('td', {}, when(run.createdAt)),
      el('td', { class: 'actions' }, el('a', { class: 'button', text: 'Log', attrs: { href: appHash(app, run.id) } })));
    if (!run.error) return [row];
    return [row, el('tr', { class: 'run-error' },
      el('td', { attrs: { colspan: 6 } }, errorLines(new ApiError(0, run.error.kind, run.error.message, run.error.hint))))];
  }));
}
