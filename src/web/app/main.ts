// Slipway dashboard: a client of the HTTP API (src/core/api.ts) and nothing else; this module wires the page.
// Security: API data (app names, log text, error messages) only ever reaches the page as text nodes or DOM
// properties, never as HTML, and the token lives in sessionStorage only (gone when the tab closes).

import { AccessClient } from '../client/access-client.js';
import { ApiClient, ApiError } from '../client/api-client.js';
import { describeGrants, allows } from '../../core/access.js';
import { renderAccessPage } from './access-page.js';
import { renderAuditPage } from './audit-page.js';
import { markSelected, showApps } from './app-list.js';
import type { Dashboard, DashboardState } from './context.js';
import { createApp } from './create-app.js';
import { buildDetail, refreshDetail } from './detail.js';
import { byId } from './dom.js';
import { parseRoute } from '../client/format.js';
import { hideInfoNotice, notifyError } from './notice.js';
import { followLog, stopLog } from './run-log.js';
import { errorLines } from './widgets.js';

const TOKEN_KEY = 'slipway.token';

const state: DashboardState = {
  token: sessionStorage.getItem(TOKEN_KEY),
  apps: [],
  selected: null,
  runId: null,
  logAbort: null,
  detailSeq: 0,
};

const ctx: Dashboard = {
  api: new ApiClient({ token: () => state.token, onUnauthorized: (err) => showSignIn(err) }),
  state,
  refreshDetail: () => refreshDetail(ctx),
  reloadApps,
  go: (hash) => { location.hash = hash; },
};
const access = new AccessClient(ctx.api);

/** Back to the sign-in form, with why (an error) or without (signing out). */
function showSignIn(error: unknown): void {
  stopLog(state);
  state.token = null;
  state.selected = null;
  sessionStorage.removeItem(TOKEN_KEY);
  byId('dashboard').hidden = true;
  byId('page').hidden = true;
  byId('nav').hidden = true;
  byId('sign-out').hidden = true;
  byId('notice').hidden = true;
  const box = byId('sign-in-message');
  box.replaceChildren(...(error ? errorLines(error) : []));
  box.hidden = !error;
  byId('sign-in').hidden = false;
  byId<HTMLInputElement>('token').value = '';
  byId<HTMLInputElement>('user-password').value = '';
  byId<HTMLInputElement>('user-totp').value = '';
  byId<HTMLInputElement>('user-name').focus();
}

async function openDashboard(): Promise<void> {
  let apps;
  try {
    apps = await ctx.api.apps();
  } catch (err) {
    if (!(err instanceof ApiError && err.status === 401)) showSignIn(err);
    return;
  }
  byId('sign-in').hidden = true;
  byId('sign-in-message').hidden = true;
  byId('sign-out').hidden = false;
  byId('nav').hidden = false;
  void access.me().then((me) => {
    byId('whoami').textContent = `${me.name} (${describeGrants(me.grants)})`;
    byId('nav-access').hidden = !allows(me.grants, 'owner', null);
  }).catch(() => undefined);
  state.apps = apps;
  showApps(ctx.api, apps, state.selected);
  route();
}

async function reloadApps(): Promise<void> {
  try {
    state.apps = await ctx.api.apps();
    showApps(ctx.api, state.apps, state.selected);
  } catch (err) {
    notifyError(err);
  }
}

/** Shows what the hash names: the selected app's detail, and the run whose log is followed. */
function route(): void {
  if (state.token === null) return;
  // Whole pages (users and tokens, audit) take the place of the apps layout.
  const page = location.hash === '#/access' ? 'access' : location.hash.startsWith('#/audit') ? 'audit' : null;
  byId('page').hidden = page === null;
  byId('dashboard').hidden = page !== null;
  if (page === 'access') void renderAccessPage(byId('page'), access);
  if (page === 'audit') void renderAuditPage(byId('page'), access);
  if (page !== null) return;
  const { app, runId } = parseRoute(location.hash);
  if (app !== state.selected) {
    stopLog(state);
    state.selected = app;
    hideInfoNotice();
    markSelected(app);
    buildDetail(app, state.apps);
    if (app !== null) void refreshDetail(ctx);
    // One column on narrow screens: bring the detail into view instead of leaving it below the list.
    if (app !== null && window.matchMedia('(max-width: 800px)').matches) byId('detail').scrollIntoView();
  }
  if (runId !== state.runId) void followLog(ctx, runId);
}

/** A pasted token as it is; else name + password (+ TOTP code) → a session token from the server. */
async function signIn(): Promise<void> {
  let token = byId<HTMLInputElement>('token').value.trim();
  if (token === '') {
    const name = byId<HTMLInputElement>('user-name').value.trim();
    const totp = byId<HTMLInputElement>('user-totp').value.trim();
    if (name === '') return;
    // A refusal (401, 429) comes back through onUnauthorized or the catch below onto the sign-in form.
    token = (await access.signIn({ name, password: byId<HTMLInputElement>('user-password').value, ...(totp !== '' && { totp }) })).token;
  }
  state.token = token;
  sessionStorage.setItem(TOKEN_KEY, token);
  await openDashboard();
}

byId('sign-in-form').addEventListener('submit', (event) => {
  event.preventDefault();
  signIn().catch((err: unknown) => { if (!(err instanceof ApiError && err.status === 401)) showSignIn(err); });
});
byId('sign-out').addEventListener('click', () => {
  history.replaceState(null, '', location.pathname);
  // Ends the session on the server too (a copied token stops working); the form comes back either way.
  void access.signOut().catch(() => undefined).finally(() => showSignIn(null));
});
byId('refresh').addEventListener('click', () => { void reloadApps(); void refreshDetail(ctx); });
byId<HTMLFormElement>('create-form').addEventListener('submit', (event) => {
  event.preventDefault();
  void createApp(ctx, event.currentTarget as HTMLFormElement);
});
window.addEventListener('hashchange', route);

if (state.token === null) showSignIn(null);
else void openDashboard();
