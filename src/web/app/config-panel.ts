// The config card of an app (issue 14): its environment variables (a secret's value never reaches the page: the API
// sends null), a form to add or edit one (with a secret toggle), and delete; each change rolls out as a run.

import type { ConfigItem } from '../../core/api-config.js';
import { changeConfig, changeOutcome, loadConfig, shownValue, unsetConfigKey } from '../client/config-client.js';
import { appHash } from '../client/format.js';
import type { Dashboard } from './context.js';
import { el, maybeById } from './dom.js';
import { notify, notifyError } from './notice.js';
import { showError, table, when } from './widgets.js';

/** The card's empty frame, placed by detail.ts; refreshConfigPanel fills it. */
export function configCard(): HTMLElement {
  return el('section', { class: 'card', attrs: { id: 'config-card' } },
    el('h2', { text: 'Config' }),
    el('div', { class: 'error-box', hidden: true, attrs: { id: 'config-error', role: 'alert' } }),
    el('div', { attrs: { id: 'config-list' } }, el('p', { class: 'muted', text: 'Loading…' })));
}

/** Reloads the list; the form is built once per app so a refresh never wipes what the user is typing. */
export async function refreshConfigPanel(ctx: Dashboard, app: string): Promise<void> {
  const card = maybeById('config-card');
  const list = maybeById('config-list');
  if (card === null || list === null) return;
  if (maybeById('config-form') === null) card.append(configForm(ctx, app));
  try {
    const items = await loadConfig(ctx.api, app);
    if (ctx.state.selected !== app) return;
    maybeById('config-error')!.hidden = true;
    list.replaceChildren(listView(ctx, app, items));
  } catch (err) {
    const box = maybeById('config-error');
    if (box) showError(box, err);
  }
}

function listView(ctx: Dashboard, app: string, items: readonly ConfigItem[]): HTMLElement {
  if (items.length === 0) return el('p', { class: 'muted', text: 'No config yet: add a key below; the app sees it as an environment variable.' });
  return table(['Key', 'Value', 'Updated', ''], items.map((item) => el('tr', {},
    el('td', {}, el('code', { text: item.name })),
    el('td', {}, el('code', { text: shownValue(item) }), item.secret ? el('span', { class: 'muted', text: ' (secret)' }) : null),
    el('td', {}, when(item.updatedAt)),
    el('td', { class: 'actions' },
      el('button', { class: 'button', text: 'Edit', attrs: { type: 'button' }, onClick: () => edit(item) }),
      el('button', { class: 'button', text: 'Delete', attrs: { type: 'button' },
        onClick: (event) => void remove(ctx, app, item.name, event.currentTarget as HTMLButtonElement) })))));
}

function configForm(ctx: Dashboard, app: string): HTMLFormElement {
  const form = el('form', { class: 'config-form', attrs: { id: 'config-form', autocomplete: 'off' } },
    el('h3', { text: 'Add or change a key' }),
    el('label', {}, 'Key ', el('input', { attrs: { name: 'key', required: 'required', pattern: '[A-Za-z_][A-Za-z0-9_]{0,127}', placeholder: 'DATABASE_URL', id: 'config-key' } })),
    el('label', {}, 'Value ', el('input', { attrs: { name: 'value', id: 'config-value', type: 'text' } })),
    el('label', {}, el('input', { attrs: { name: 'secret', type: 'checkbox', id: 'config-secret' } }), ' Secret (write-only: never shown again)'),
    el('button', { class: 'button primary', text: 'Save and roll out', attrs: { type: 'submit' } }));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void save(ctx, app, form);
  });
  return form;
}

/** Fills the form with the key; a secret's value is not known here, so it must be typed again. */
function edit(item: ConfigItem): void {
  const key = maybeById<HTMLInputElement>('config-key');
  const value = maybeById<HTMLInputElement>('config-value');
  const secret = maybeById<HTMLInputElement>('config-secret');
  if (!key || !value || !secret) return;
  key.value = item.name;
  value.value = item.secret ? '' : item.value ?? '';
  value.placeholder = item.secret ? 'type the new value (the current one is never shown)' : '';
  secret.checked = item.secret;
  value.type = item.secret ? 'password' : 'text';
  value.focus();
}

async function save(ctx: Dashboard, app: string, form: HTMLFormElement): Promise<void> {
  const data = new FormData(form);
  const key = String(data.get('key') ?? '').trim();
  const secret = data.get('secret') !== null;
  const submit = form.querySelector<HTMLButtonElement>('button[type=submit]');
  if (submit) submit.disabled = true;
  try {
    const res = await changeConfig(ctx.api, app, { set: { [key]: { value: String(data.get('value') ?? ''), secret } } });
    form.reset();
    announce(ctx, app, res);
  } catch (err) {
    notifyError(err);
  } finally {
    if (submit) submit.disabled = false;
  }
}

async function remove(ctx: Dashboard, app: string, key: string, button: HTMLButtonElement): Promise<void> {
  if (!window.confirm(`Remove ${key} from the config of "${app}"?\n\nThe live image is rolled out again without it.`)) return;
  button.disabled = true;
  try {
    announce(ctx, app, await unsetConfigKey(ctx.api, app, key));
  } catch (err) {
    notifyError(err);
  } finally {
    button.disabled = false;
  }
}

function announce(ctx: Dashboard, app: string, res: Parameters<typeof changeOutcome>[1]): void {
  notify('info', [el('p', { text: changeOutcome(app, res) })]);
  if (res.run !== null) ctx.go(appHash(app, res.run.id));
  void ctx.refreshDetail();
}
