// The stacks card of an app (issue 13): each stack with its services and their task states, its releases with
// "roll back to this", and a diff between two releases.

import type { StackReleaseSummary, StackServiceStatus, StackSummaryItem } from '../../core/api.js';
import { appHash } from '../client/format.js';
import type { Dashboard } from './context.js';
import { el } from './dom.js';
import { notify, notifyError } from './notice.js';
import { StacksClient } from './stacks-client.js';
import { badge, errorLines, table, when } from './widgets.js';

/** The card's content for `app`; errors show inside the card, never break the rest of the page. */
export async function stacksView(ctx: Dashboard, app: string): Promise<HTMLElement[]> {
  const client = new StacksClient(ctx.api);
  try {
    const stacks = await client.list(app);
    if (stacks.length === 0) return [el('p', { class: 'muted', text: `No stacks: deploy one with "slipway stacks deploy <name> -c compose.yml --app ${app}".` })];
    const parts = await Promise.all(stacks.map(async (s) => stackView(ctx, client, app, s, await client.services(app, s.name), s.releases > 0 ? await client.releases(app, s.name) : [])));
    return parts.flat();
  } catch (err) {
    return [el('div', { class: 'error-box' }, errorLines(err))];
  }
}

function stackView(ctx: Dashboard, client: StacksClient, app: string, stack: StackSummaryItem, services: readonly StackServiceStatus[], releases: readonly StackReleaseSummary[]): HTMLElement[] {
  const diffBox = el('div', { class: 'stack-diff' });
  return [
    el('h3', {}, `${stack.name} `, stack.liveRelease === null ? badge('not live', 'neutral') : badge(`release #${stack.liveRelease} live`, 'live')),
    services.length === 0 ? el('p', { class: 'muted', text: 'No services are running.' })
      : table(['Service', 'Image', 'Replicas', 'Tasks'], services.map((s) => el('tr', {},
        el('td', { text: s.name }),
        el('td', {}, el('code', { text: s.image ?? '—' })),
        el('td', { text: `${s.running}/${s.desired ?? '?'}` }),
        el('td', {}, ...s.tasks.map((t) => badge(t.state, t.state === 'running' ? 'live' : t.error ? 'failed' : 'neutral')))))),
    releases.length === 0 ? el('p', { class: 'muted', text: 'No releases.' })
      : table(['Release', 'Status', 'Run', 'By', 'Created', ''], releases.map((r) => el('tr', {},
        el('td', {}, `#${r.number}`, r.rollbackOf !== null ? el('span', { class: 'muted', text: ` (of #${r.rollbackOf})` }) : null),
        el('td', { attrs: { title: r.error ?? '' } }, badge(r.status)),
        el('td', {}, r.runId === null ? '—' : el('a', { text: `#${r.runId}`, attrs: { href: appHash(app, r.runId) } })),
        el('td', { text: r.user ?? '—' }),
        el('td', {}, when(r.createdAt)),
        el('td', { class: 'actions' },
          r.status === 'superseded' || r.status === 'rolled_back'
            ? el('button', { class: 'button', text: 'Roll back to this', attrs: { type: 'button' }, onClick: (e) => void rollBack(ctx, client, app, stack.name, r.number, e.currentTarget as HTMLButtonElement) })
            : null,
          releases.length > 1 && r !== releases[releases.length - 1]
            ? el('button', { class: 'button', text: 'Diff with previous', attrs: { type: 'button' }, onClick: () => void showDiff(client, app, stack.name, previousOf(releases, r), r.number, diffBox) })
            : null)))),
    diffBox,
  ];
}

function previousOf(releases: readonly StackReleaseSummary[], r: StackReleaseSummary): number {
  return releases[releases.indexOf(r) + 1]?.number ?? r.number;
}

async function rollBack(ctx: Dashboard, client: StacksClient, app: string, stack: string, release: number, button: HTMLButtonElement): Promise<void> {
  if (!window.confirm(`Roll stack "${stack}" of "${app}" back to release #${release}?\n\nIts stored plan is deployed again with a health check, as a new release.`)) return;
  button.disabled = true;
  try {
    const run = await client.rollback(app, stack, release);
    notify('info', [el('p', { text: `Rollback of stack ${stack} to release #${release} started as run #${run.id}.` })]);
    ctx.go(appHash(app, run.id));
    await ctx.refreshDetail();
  } catch (err) {
    notifyError(err);
  } finally {
    button.disabled = false;
  }
}

async function showDiff(client: StacksClient, app: string, stack: string, from: number, to: number, box: HTMLElement): Promise<void> {
  try {
    const diff = await client.diff(app, stack, from, to);
    const mark = { added: 'live', removed: 'failed', changed: 'deploying', unchanged: 'neutral' } as const;
    box.replaceChildren(
      el('h4', { text: `Release #${diff.from} → #${diff.to}` }),
      el('ul', {}, ...diff.services.map((s) => el('li', {}, badge(s.change, mark[s.change]), ` ${s.service}`,
        s.details.length === 0 ? null : el('ul', {}, ...s.details.map((d) => el('li', {}, el('code', { text: d }))))))));
  } catch (err) {
    box.replaceChildren(el('div', { class: 'error-box' }, errorLines(err)));
  }
}
