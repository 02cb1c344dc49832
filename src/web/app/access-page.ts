// The owner's page of users and API tokens: add and remove users, turn on TOTP, create scoped tokens (shown once),
// revoke and rotate them. Every value from the API reaches the page as text.

import { describeGrants, ALL_APPS, isRole, type Grant } from '../../core/access.js';
import type { AccessClient } from '../client/access-client.js';
import { el } from './dom.js';
import { showError, table, when } from './widgets.js';

function grantsFromForm(form: FormData): Grant[] {
  const role = String(form.get('role') ?? 'viewer');
  const apps = String(form.get('apps') ?? '').split(/[\s,]+/).filter((a) => a !== '');
  const r = isRole(role) ? role : 'viewer';
  return apps.length === 0 ? [{ role: r, app: ALL_APPS }] : apps.map((app) => ({ role: r, app }));
}

const roleSelect = () => el('select', { attrs: { name: 'role', 'aria-label': 'Role' } },
  ['viewer', 'deployer', 'admin', 'owner'].map((r) => el('option', { text: r, attrs: { value: r } })));

/** Something shown once (a token, a TOTP URI), with a line saying so. */
const once = (label: string, value: string) => el('div', { class: 'result', attrs: { role: 'status' } },
  el('p', { text: `${label} (shown once; Slipway keeps only its hash):` }), el('code', { class: 'secret-once', text: value }));

export async function renderAccessPage(target: HTMLElement, access: AccessClient): Promise<void> {
  const errors = el('div', { class: 'error-box', attrs: { role: 'alert' }, hidden: true });
  const shown = el('div', {});
  const reload = () => void renderAccessPage(target, access);
  const act = (fn: () => Promise<void>) => () => void fn().catch((err: unknown) => showError(errors, err));

  let users, tokens;
  try {
    [users, tokens] = await Promise.all([access.users(), access.tokens()]);
  } catch (err) {
    target.replaceChildren(el('h1', { text: 'Users and tokens' }), errors);
    showError(errors, err);
    return;
  }

  const userForm = el('form', { class: 'stack', attrs: { id: 'user-form', autocomplete: 'off' } },
    el('input', { attrs: { name: 'name', placeholder: 'name', required: '', 'aria-label': 'User name' } }),
    el('input', { attrs: { name: 'password', type: 'password', placeholder: 'password (10+ characters)', required: '', 'aria-label': 'Password' } }),
    roleSelect(),
    el('input', { attrs: { name: 'apps', placeholder: 'apps (blank: all)', 'aria-label': 'Apps' } }),
    el('button', { class: 'button primary', text: 'Add user', attrs: { type: 'submit' } }));
  userForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const form = new FormData(userForm);
    act(async () => {
      await access.addUser({ name: String(form.get('name')), password: String(form.get('password')), grants: grantsFromForm(form) });
      reload();
    })();
  });

  const tokenForm = el('form', { class: 'stack', attrs: { id: 'token-form', autocomplete: 'off' } },
    el('input', { attrs: { name: 'name', placeholder: 'token name', required: '', 'aria-label': 'Token name' } }),
    roleSelect(),
    el('input', { attrs: { name: 'apps', placeholder: 'apps (blank: all)', 'aria-label': 'Apps' } }),
    el('input', { attrs: { name: 'expires', placeholder: 'expires, e.g. 30d (blank: never)', 'aria-label': 'Expires' } }),
    el('button', { class: 'button primary', text: 'Create token', attrs: { type: 'submit' } }));
  tokenForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const form = new FormData(tokenForm);
    const expires = String(form.get('expires') ?? '').trim();
    act(async () => {
      const created = await access.createToken({ name: String(form.get('name')), grants: grantsFromForm(form), ...(expires !== '' && { expires }) });
      await renderAccessPage(target, access);
      target.prepend(once(`Token ${created.record.name}`, created.token));
    })();
  });

  const userRows = users.map((u) => el('tr', {},
    el('td', { text: u.name }), el('td', { text: describeGrants(u.grants) }), el('td', { text: u.totp ? 'on' : 'off' }), el('td', {}, when(u.createdAt)),
    el('td', {},
      el('button', { class: 'button quiet', text: 'Turn on TOTP', onClick: act(async () => {
        const { uri } = await access.enableTotp(u.name);
        shown.replaceChildren(once(`TOTP for ${u.name}: add this otpauth URI to an authenticator app`, uri));
      }) }),
      el('button', { class: 'button quiet danger', text: 'Remove', onClick: act(async () => {
        if (!confirm(`Remove user ${u.name}? Their sessions end now.`)) return;
        await access.removeUser(u.name);
        reload();
      }) }))));

  const now = Date.now();
  const tokenRows = tokens.filter((t) => t.revokedAt === null && (t.expiresAt === null || Date.parse(t.expiresAt) > now)).map((t) => el('tr', {},
    el('td', { text: String(t.id) }), el('td', { text: t.name }), el('td', { text: t.kind }), el('td', { text: describeGrants(t.grants) }),
    el('td', {}, t.expiresAt === null ? 'never' : when(t.expiresAt)), el('td', {}, t.lastUsedAt === null ? 'never' : when(t.lastUsedAt)),
    el('td', {},
      t.kind === 'api' ? el('button', { class: 'button quiet', text: 'Rotate', onClick: act(async () => {
        const rotated = await access.rotateToken(t.id);
        await renderAccessPage(target, access);
        target.prepend(once(`New secret of token ${t.name}`, rotated.token));
      }) }) : null,
      el('button', { class: 'button quiet danger', text: 'Revoke', onClick: act(async () => {
        if (!confirm(`Revoke ${t.kind === 'session' ? 'the session of' : 'token'} ${t.name}?`)) return;
        await access.revokeToken(t.id);
        reload();
      }) }))));

  target.replaceChildren(
    el('h1', { text: 'Users and tokens' }), errors, shown,
    el('section', { class: 'card' }, el('h2', { text: 'Users' }), table(['User', 'Roles', 'TOTP', 'Added', ''], userRows), userForm),
    el('section', { class: 'card' }, el('h2', { text: 'API tokens and sessions' }), table(['ID', 'Name', 'Kind', 'Roles', 'Expires', 'Last used', ''], tokenRows), tokenForm),
  );
}
