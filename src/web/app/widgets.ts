// Small shared views: links, badges, times, tables, replica summaries and error lines.

import { ApiError, isQuiet } from '../client/api-client.js';
import { el, type Child } from './dom.js';
import { badgeText, relativeTime, replicaText, replicaTone, type ReplicaCounts } from '../client/format.js';

/** A link to the app's public site; the scheme is always https whatever the domain string holds. */
export function siteLink(domain: string): HTMLAnchorElement {
  const url = new URL(`https://${domain}/`);
  return el('a', { class: 'domain', text: domain, attrs: { href: url.href, target: '_blank', rel: 'noopener noreferrer' } });
}

export function badge(text: string, tone: string = text): HTMLSpanElement {
  return el('span', { class: `badge badge-${tone}`, text: badgeText(text) });
}

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

export function when(iso: string | null | undefined): HTMLElement {
  if (!iso) return el('span', { class: 'muted', text: '—' });
  const date = new Date(iso);
  const near = relativeTime(iso, Date.now());
  const text = near === null ? date.toLocaleString() : relative.format(near.amount, near.unit);
  return el('time', { text, attrs: { datetime: iso, title: date.toLocaleString() } });
}

export function table(headings: readonly string[], rows: readonly Child[]): HTMLDivElement {
  return el('div', { class: 'table-wrap' },
    el('table', {},
      el('thead', {}, el('tr', {}, headings.map((h) => el('th', { text: h, attrs: { scope: 'col' } })))),
      el('tbody', {}, rows)));
}

export function replicaSummary(counts: ReplicaCounts): HTMLSpanElement {
  return el('span', { class: `replicas dot-${replicaTone(counts)}`, text: replicaText(counts), attrs: { title: `${counts.healthy} healthy` } });
}

/** The message (with the field it concerns) and the hint of an error, as paragraphs. */
export function errorLines(err: unknown): HTMLElement[] {
  const known = err instanceof ApiError;
  const message = known ? err.message : `Unexpected error: ${err instanceof Error ? err.message : String(err)}`;
  const lines = [el('p', { class: 'error-message' }, message,
    known && err.field ? el('span', { class: 'field', text: ` (${err.field})` }) : null)];
  if (known && err.hint) lines.push(el('p', { class: 'hint', text: `Hint: ${err.hint}` }));
  return lines;
}

/** Shows an error in `target`, unless it is quiet (a 401 or an aborted request). */
export function showError(target: HTMLElement, err: unknown): void {
  if (isQuiet(err)) return;
  target.replaceChildren(...errorLines(err));
  target.hidden = false;
}
