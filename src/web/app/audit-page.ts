// The audit page: who changed what, when and from where, newest first; filtered by app.

import type { AuditEvent } from '../../core/ports/store.js';
import type { AccessClient } from '../client/access-client.js';
import { el } from './dom.js';
import { showError, table, when } from './widgets.js';

function what(e: AuditEvent): string {
  const d = (typeof e.data === 'object' && e.data !== null ? e.data : {}) as Record<string, unknown>;
  if (e.type === 'api.change') return `${String(d.route ?? '')} (${String(d.path ?? '')})`;
  if (e.type === 'access.denied') return `DENIED ${String(d.route ?? '')} (${String(d.path ?? '')})`;
  const detail = Object.entries(d).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join(' ');
  return detail === '' ? e.type : `${e.type} ${detail}`;
}

export async function renderAuditPage(target: HTMLElement, access: AccessClient, app = ''): Promise<void> {
  const errors = el('div', { class: 'error-box', attrs: { role: 'alert' }, hidden: true });
  const filter = el('input', { attrs: { id: 'audit-app', placeholder: 'app (blank: all)', value: app, 'aria-label': 'App' } });
  const form = el('form', { class: 'row' }, filter, el('button', { class: 'button', text: 'Filter', attrs: { type: 'submit' } }));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void renderAuditPage(target, access, filter.value.trim());
  });
  target.replaceChildren(el('h1', { text: 'Audit log' }), form, errors);
  try {
    const events = await access.audit(app);
    target.append(table(['When', 'Who', 'From', 'App', 'What'], events.map((e) => el('tr', {},
      el('td', {}, when(e.at)), el('td', { text: e.actor ?? 'slipway' }), el('td', { text: e.source ?? '—' }),
      el('td', { text: e.app ?? '—' }), el('td', { text: what(e) })))));
  } catch (err) {
    showError(errors, err);
  }
}
