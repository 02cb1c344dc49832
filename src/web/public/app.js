// Slipway dashboard: a client of the HTTP API (src/core/api.ts) and nothing else.
// Security: API data (app names, log text, error messages) only ever reaches the page as text nodes or DOM
// properties, never as HTML, and the token lives in sessionStorage only (gone when the tab closes).

const TOKEN_KEY = 'slipway.token';
const RUNS_SHOWN = 10;

const state = {
  token: sessionStorage.getItem(TOKEN_KEY),
  apps: [],
  selected: null, // app name shown in the detail pane
  runId: null, // run whose log is shown
  logAbort: null, // AbortController of the log stream being followed
  detailSeq: 0, // guards against a slow answer for an app the user has already left
};

const $ = (id) => document.getElementById(id);
const enc = encodeURIComponent;

// ---------------------------------------------------------------------------------------------------- DOM

/** Builds an element. Strings among the children become text nodes; props are set as DOM properties. */
function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else if (key === 'class') node.className = value;
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key in node) node[key] = value;
    else node.setAttribute(key, String(value));
  }
  node.append(...children.flat().filter((child) => child !== null && child !== undefined && child !== false));
  return node;
}

/** A link to the app's public site; the scheme is always https whatever the domain string holds. */
function siteLink(domain) {
  const url = new URL(`https://${domain}/`);
  return el('a', { href: url.href, textContent: domain, target: '_blank', rel: 'noopener noreferrer', class: 'domain' });
}

function badge(text, tone = text) {
  return el('span', { class: `badge badge-${tone}`, textContent: text.replace('_', ' ') });
}

function shortCommit(commit) {
  return typeof commit === 'string' ? commit.replace(/^sha256:/, '').slice(0, 7) : '';
}

/** `registry/repo@sha256:abc…` → `sha256:abc…` cut to 12 hex digits; the full reference goes in the title. */
function shortDigest(image) {
  const at = image.lastIndexOf('@');
  const digest = at === -1 ? image : image.slice(at + 1);
  return digest.startsWith('sha256:') ? digest.slice(0, 19) : digest;
}

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

function when(iso) {
  if (!iso) return el('span', { class: 'muted', textContent: '—' });
  const date = new Date(iso);
  const seconds = Math.round((date.getTime() - Date.now()) / 1000);
  const steps = [[60, 'second'], [60, 'minute'], [24, 'hour'], [7, 'day']];
  let amount = seconds;
  let text = date.toLocaleString();
  for (const [size, unit] of steps) {
    if (Math.abs(amount) < size) { text = relative.format(amount, unit); break; }
    amount = Math.round(amount / size);
  }
  return el('time', { dateTime: iso, title: date.toLocaleString(), textContent: text });
}

function table(headings, rows) {
  return el('div', { class: 'table-wrap' },
    el('table', {},
      el('thead', {}, el('tr', {}, headings.map((h) => el('th', { scope: 'col', textContent: h })))),
      el('tbody', {}, rows)));
}

// ---------------------------------------------------------------------------------------------------- API

class ApiError extends Error {
  constructor(status, kind, message, hint, field) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.kind = kind;
    this.hint = hint;
    this.field = field;
  }
}

/** Reads the API's `{error:{kind,message,field,hint}}`; anything else (a proxy's HTML page) becomes the status line. */
async function errorFrom(res) {
  const body = await res.json().catch(() => null); // not JSON: fall back to the status line below
  const error = body !== null && typeof body === 'object' ? body.error : undefined;
  if (error && typeof error.message === 'string') {
    const hint = typeof error.hint === 'string' ? error.hint : undefined;
    const field = typeof error.field === 'string' ? error.field : undefined;
    return new ApiError(res.status, String(error.kind ?? 'error'), error.message, hint, field);
  }
  return new ApiError(res.status, 'http', `The server answered ${res.status} ${res.statusText}`.trim());
}

/** fetch with the token; a 401 anywhere returns to the sign-in form. Resolves only for 2xx answers. */
async function send(path, init = {}) {
  const headers = { ...init.headers, Authorization: `Bearer ${state.token}` };
  let res;
  try {
    res = await fetch(path, { cache: 'no-store', ...init, headers });
  } catch (err) {
    if (err.name === 'AbortError') throw err;
    throw new ApiError(0, 'network', 'Could not reach the Slipway server.',
      'Check that the server is running and reachable, then press Refresh.');
  }
  if (res.ok) return res;
  const error = await errorFrom(res);
  if (res.status === 401) showSignIn(new ApiError(401, error.kind, `Signed out: ${error.message}`,
    error.hint ?? 'Sign in again with a valid API token.'));
  throw error;
}

async function api(method, path, body) {
  const init = { method };
  if (body !== undefined) {
    init.headers = { 'Content-Type': 'application/json' };
    init.body = JSON.stringify(body);
  }
  const res = await send(path, init);
  return res.status === 204 ? null : res.json();
}

const list = (value) => (Array.isArray(value) ? value : []);

// ---------------------------------------------------------------------------------------------------- errors and notices

function errorLines(err) {
  const known = err instanceof ApiError;
  const message = known ? err.message : `Unexpected error: ${err instanceof Error ? err.message : String(err)}`;
  const lines = [el('p', { class: 'error-message' }, message,
    known && err.field ? el('span', { class: 'field', textContent: ` (${err.field})` }) : null)];
  if (known && err.hint) lines.push(el('p', { class: 'hint', textContent: `Hint: ${err.hint}` }));
  return lines;
}

/** Shows an error in `target`. A 401 is already on the sign-in form and an aborted stream is not an error. */
function showError(target, err) {
  if ((err instanceof ApiError && err.status === 401) || err?.name === 'AbortError') return;
  target.replaceChildren(...errorLines(err));
  target.hidden = false;
}

function notify(tone, children) {
  const box = $('notice');
  box.className = `notice notice-${tone}`;
  box.replaceChildren(
    el('div', { class: 'notice-body' }, children),
    el('button', { type: 'button', class: 'button quiet', textContent: 'Dismiss', onclick: () => { box.hidden = true; } }));
  box.hidden = false;
}

const notifyError = (err) => {
  if ((err instanceof ApiError && err.status === 401) || err?.name === 'AbortError') return;
  notify('error', errorLines(err));
};

// ---------------------------------------------------------------------------------------------------- session

function showSignIn(error) {
  stopLog();
  state.token = null;
  state.selected = null;
  sessionStorage.removeItem(TOKEN_KEY);
  $('dashboard').hidden = true;
  $('sign-out').hidden = true;
  $('notice').hidden = true;
  const box = $('sign-in-message');
  box.replaceChildren(...(error ? errorLines(error) : []));
  box.hidden = !error;
  $('sign-in').hidden = false;
  $('token').value = '';
  $('token').focus();
}

async function openDashboard() {
  let apps;
  try {
    apps = await fetchApps();
  } catch (err) {
    if (!(err instanceof ApiError && err.status === 401)) showSignIn(err);
    return;
  }
  $('sign-in').hidden = true;
  $('sign-in-message').hidden = true;
  $('dashboard').hidden = false;
  $('sign-out').hidden = false;
  showApps(apps);
  route();
}

// ---------------------------------------------------------------------------------------------------- app list

async function fetchApps() {
  const body = await api('GET', '/api/apps');
  return list(body?.apps);
}

async function reloadApps() {
  try {
    showApps(await fetchApps());
  } catch (err) {
    notifyError(err);
  }
}

function showApps(apps) {
  state.apps = apps;
  const items = apps.map((app) => {
    const replicas = el('span', { class: 'replicas muted', textContent: 'checking…' });
    loadReplicas(app.name, replicas);
    return el('li', { class: app.name === state.selected ? 'selected' : '' },
      el('a', { class: 'app-name', href: `#/apps/${enc(app.name)}`, textContent: app.name }),
      el('div', { class: 'app-meta' },
        siteLink(app.domain),
        el('span', { class: 'release', textContent: app.liveRelease === null ? 'no release' : `release #${app.liveRelease}` }),
        replicas));
  });
  $('app-list').replaceChildren(...(items.length > 0 ? items
    : [el('li', { class: 'muted empty', textContent: 'No apps yet. Create one below.' })]));
}

async function loadReplicas(name, target) {
  try {
    const status = await api('GET', `/api/apps/${enc(name)}`);
    target.replaceWith(replicaSummary(status.replicas));
  } catch (err) {
    target.textContent = 'status unavailable';
    target.title = err.message;
  }
}

function replicaSummary({ desired, running, healthy }) {
  const tone = desired === 0 ? 'idle' : running >= desired ? 'ok' : running === 0 ? 'down' : 'degraded';
  const text = desired === 0 ? 'stopped' : `${running}/${desired} running`;
  return el('span', { class: `replicas dot-${tone}`, title: `${healthy} healthy`, textContent: text });
}

function markSelected() {
  for (const link of $('app-list').querySelectorAll('a.app-name')) {
    link.closest('li').classList.toggle('selected', link.textContent === state.selected);
  }
}

// ---------------------------------------------------------------------------------------------------- routing

/** `#/apps/<name>` selects an app, `#/apps/<name>/runs/<id>` also follows that run's log. */
function route() {
  if (state.token === null) return;
  const match = /^#\/apps\/([^/]+)(?:\/runs\/(\d+))?$/.exec(location.hash);
  let name = null;
  try {
    name = match ? decodeURIComponent(match[1]) : null;
  } catch {
    name = null; // a hand-edited hash with a broken %-escape selects nothing
  }
  const runId = name !== null && match[2] ? Number(match[2]) : null;
  if (name !== state.selected) {
    stopLog();
    state.selected = name;
    if ($('notice').classList.contains('notice-info')) $('notice').hidden = true;
    markSelected();
    buildDetail(name);
    if (name !== null) refreshDetail();
    // One column on narrow screens: bring the detail into view instead of leaving it below the list.
    if (name !== null && window.matchMedia('(max-width: 800px)').matches) $('detail').scrollIntoView();
  }
  if (runId !== state.runId) followLog(runId);
}

const appHash = (name, runId) => `#/apps/${enc(name)}${runId === undefined ? '' : `/runs/${runId}`}`;

// ---------------------------------------------------------------------------------------------------- app detail

function buildDetail(name) {
  const detail = $('detail');
  if (name === null) {
    detail.replaceChildren(el('p', { class: 'muted empty', textContent: 'Select an app to see its status, releases and runs.' }));
    return;
  }
  const summary = state.apps.find((app) => app.name === name);
  detail.replaceChildren(
    el('div', { class: 'detail-head' },
      el('h1', { textContent: name }),
      summary ? siteLink(summary.domain) : null),
    el('div', { id: 'detail-error', class: 'error-box', role: 'alert', hidden: true }),
    el('section', { id: 'status-card', class: 'card' }, el('h2', { textContent: 'Status' }), el('p', { class: 'muted', textContent: 'Loading…' })),
    el('section', { id: 'log-card', class: 'card', hidden: true }),
    el('section', { id: 'releases-card', class: 'card' }, el('h2', { textContent: 'Releases' })),
    el('section', { id: 'runs-card', class: 'card' }, el('h2', { textContent: 'Recent runs' })));
}

async function refreshDetail() {
  const name = state.selected;
  if (name === null) return;
  const seq = ++state.detailSeq;
  const base = `/api/apps/${enc(name)}`;
  try {
    const [status, releases, runs] = await Promise.all([
      api('GET', base), api('GET', `${base}/releases`), api('GET', `${base}/runs`)]);
    if (seq !== state.detailSeq || name !== state.selected) return;
    $('detail-error').hidden = true;
    $('status-card').replaceChildren(el('h2', { textContent: 'Status' }), ...statusView(status));
    $('releases-card').replaceChildren(el('h2', { textContent: 'Releases' }), releasesView(name, list(releases?.releases)));
    $('runs-card').replaceChildren(el('h2', { textContent: 'Recent runs' }), runsView(name, list(runs?.runs).slice(0, RUNS_SHOWN)));
  } catch (err) {
    if (seq === state.detailSeq && $('detail-error')) showError($('detail-error'), err);
  }
}

function statusView(status) {
  const { release, replicas, lastRun } = status;
  const facts = [
    ['Live release', release ? el('span', {}, `#${release.number} `, badge(release.status)) : 'none yet'],
    ['Image', release ? el('code', { title: release.image, textContent: shortDigest(release.image) }) : '—'],
    ['Replicas', el('span', {}, replicaSummary(replicas), el('span', { class: 'muted', textContent: ` · ${replicas.healthy} healthy` }))],
    ['Last run', lastRun ? el('span', {}, el('a', { href: appHash(status.app.name, lastRun.id), textContent: `#${lastRun.id}` }), ' ', badge(lastRun.status)) : 'none yet'],
  ];
  const tasks = list(status.tasks);
  return [
    el('dl', { class: 'facts' }, facts.map(([term, value]) => el('div', {}, el('dt', { textContent: term }), el('dd', {}, value)))),
    el('h3', { textContent: `Tasks (${tasks.length})` }),
    tasks.length === 0 ? el('p', { class: 'muted', textContent: 'No tasks are running.' })
      : table(['Task', 'State', 'Desired', 'Node', 'Message', 'Updated'], tasks.map((task) => el('tr', {},
        el('td', {}, el('code', { title: task.id, textContent: task.id.slice(0, 12) })),
        el('td', {}, badge(task.state, task.state === 'running' ? 'live' : task.error ? 'failed' : 'neutral')),
        el('td', { textContent: task.desiredState }),
        el('td', { textContent: task.node ?? '—' }),
        el('td', { class: task.error ? 'error-text' : '', textContent: task.error ?? task.message }),
        el('td', {}, when(task.updatedAt))))),
  ];
}

function releasesView(app, releases) {
  if (releases.length === 0) return el('p', { class: 'muted', textContent: 'No releases yet: push to the git remote to deploy.' });
  return table(['Release', 'Status', 'Commit', 'Image', 'Created', ''], releases.map((release) => el('tr', {},
    el('td', {}, `#${release.number}`, release.rollbackOf !== null ? el('span', { class: 'muted', textContent: ` (of #${release.rollbackOf})` }) : null),
    el('td', {}, badge(release.status)),
    el('td', {}, el('code', { title: release.commit, textContent: shortCommit(release.commit) })),
    el('td', {}, el('code', { title: release.image, textContent: shortDigest(release.image) })),
    el('td', {}, when(release.createdAt)),
    el('td', { class: 'actions' }, release.status === 'live' ? null
      : el('button', { type: 'button', class: 'button', textContent: 'Roll back to this',
        onclick: (event) => rollBack(app, release, event.currentTarget) })))));
}

async function rollBack(app, release, button) {
  const question = `Roll back "${app}" to release #${release.number} (commit ${shortCommit(release.commit)})?\n\n`
    + 'Its image is deployed again with a health check; the current release stays in the history.';
  if (!window.confirm(question)) return;
  button.disabled = true;
  try {
    const { run } = await api('POST', `/api/apps/${enc(app)}/rollback`, { release: release.number });
    notify('info', [el('p', { textContent: `Rollback of ${app} to release #${release.number} started as run #${run.id}.` })]);
    location.hash = appHash(app, run.id);
    await refreshDetail();
  } catch (err) {
    notifyError(err);
  } finally {
    button.disabled = false;
  }
}

function runsView(app, runs) {
  if (runs.length === 0) return el('p', { class: 'muted', textContent: 'No runs yet.' });
  return table(['Run', 'Source', 'Status', 'Commit', 'Created', ''], runs.flatMap((run) => {
    const row = el('tr', { class: run.id === state.runId ? 'current' : '', dataset: { run: String(run.id) } },
      el('td', { textContent: `#${run.id}` }),
      el('td', { textContent: run.source === 'rollback' && run.targetRelease !== null ? `rollback to #${run.targetRelease}` : run.source }),
      el('td', {}, badge(run.status), run.status === 'running' ? el('span', { class: 'muted', textContent: ` ${run.phase}` }) : null),
      el('td', {}, el('code', { title: run.commit, textContent: shortCommit(run.commit) }), run.ref ? el('span', { class: 'muted', textContent: ` ${run.ref}` }) : null),
      el('td', {}, when(run.createdAt)),
      el('td', { class: 'actions' }, el('a', { class: 'button', href: appHash(app, run.id), textContent: 'Log' })));
    if (!run.error) return [row];
    return [row, el('tr', { class: 'run-error' }, el('td', { colSpan: 6 }, errorLines(new ApiError(0, run.error.kind, run.error.message, run.error.hint))))];
  }));
}

// ---------------------------------------------------------------------------------------------------- run log

function stopLog() {
  state.logAbort?.abort();
  state.logAbort = null;
  state.runId = null;
}

// CSI sequences (colours, cursor moves) from build tools; a sequence cut by a chunk boundary is held back.
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]/g;
const ANSI_PARTIAL = /\x1b(\[[0-9;?]*[ -/]*)?$/;

async function followLog(runId) {
  stopLog();
  for (const row of document.querySelectorAll('#runs-card tr[data-run]')) {
    row.classList.toggle('current', row.dataset.run === String(runId));
  }
  const card = $('log-card');
  if (!card) return;
  if (runId === null) { card.hidden = true; return; }
  state.runId = runId;
  const controller = new AbortController();
  state.logAbort = controller;
  const text = document.createTextNode('');
  const pre = el('pre', { class: 'log', tabIndex: 0, role: 'log', 'aria-label': `Log of run ${runId}` }, text);
  const status = badge('streaming', 'running');
  const error = el('div', { class: 'error-box', role: 'alert', hidden: true });
  const steps = el('div', { class: 'run-steps' });
  card.replaceChildren(
    el('div', { class: 'card-head' },
      el('h2', {}, `Run #${runId} log `, status),
      el('a', { class: 'button quiet', href: appHash(state.selected), textContent: 'Close' })),
    error, steps, pre);
  card.hidden = false;
  // Steps change while the log streams; poll them at a walking pace until the stream ends.
  const app = state.selected;
  void refreshSteps(app, runId, steps, controller.signal);
  const stepsTimer = setInterval(() => void refreshSteps(app, runId, steps, controller.signal), 2_000);
  controller.signal.addEventListener('abort', () => clearInterval(stepsTimer));

  let carry = '';
  const append = (chunk) => {
    const raw = carry + chunk;
    const partial = ANSI_PARTIAL.exec(raw);
    carry = partial ? partial[0] : '';
    const clean = (partial ? raw.slice(0, partial.index) : raw).replace(ANSI, '');
    if (clean === '') return;
    // Follow the tail only if the reader is already at the bottom, so scrolling up to read is not undone.
    const atBottom = pre.scrollHeight - pre.scrollTop - pre.clientHeight < 32;
    text.appendData(clean);
    if (atBottom) pre.scrollTop = pre.scrollHeight;
  };
  try {
    const res = await send(`/api/runs/${runId}/logs?follow=1`, { signal: controller.signal });
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      append(decoder.decode(value, { stream: true }));
    }
    append(decoder.decode());
    const { run } = await api('GET', `/api/runs/${runId}`);
    if (controller.signal.aborted) return;
    clearInterval(stepsTimer);
    await refreshSteps(app, runId, steps, controller.signal);
    status.replaceWith(badge(run.status));
    if (run.error) showError(error, new ApiError(0, run.error.kind, run.error.message, run.error.hint));
    await refreshDetail();
  } catch (err) {
    if (controller.signal.aborted) return; // the user opened another run or left the app
    status.replaceWith(badge('interrupted', 'failed'));
    showError(error, err);
  }
}

// ---------------------------------------------------------------------------------------------------- run steps

function stepDuration(step) {
  if (!step.startedAt) return '';
  const ms = new Date(step.finishedAt ?? Date.now()).getTime() - new Date(step.startedAt).getTime();
  return ms < 60_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

function stepDetail(step) {
  if (step.skipReason) return step.skipReason;
  if (step.error) return step.error;
  return step.exitCode !== null && step.exitCode !== 0 ? `exit code ${step.exitCode}` : '';
}

/** A step's stored log, read when its row is opened (it may be large; most are never looked at). */
function stepLogToggle(runId, step) {
  const pre = el('pre', { class: 'log step-log', textContent: 'loading…' });
  const details = el('details', {}, el('summary', { textContent: 'output' }), pre);
  details.addEventListener('toggle', async () => {
    if (!details.open) return;
    try {
      const res = await send(`/api/runs/${runId}/steps/${enc(step.pipeline)}/${enc(step.name)}/logs`);
      pre.textContent = (await res.text()).replace(ANSI, '') || '(no output)';
    } catch (err) {
      pre.replaceChildren(...errorLines(err));
    }
  });
  return details;
}

/** What the run is waiting for, its steps, and what can be done with it (cancel, restart from the failed step). */
async function refreshSteps(app, runId, box, signal) {
  let answer;
  let run;
  try {
    [answer, { run }] = await Promise.all([api('GET', `/api/runs/${runId}/steps`), api('GET', `/api/runs/${runId}`)]);
  } catch (err) {
    if (!signal.aborted) showError(box, err);
    return;
  }
  if (signal.aborted) return;
  const steps = list(answer?.steps);
  const pipelines = new Set(steps.map((s) => s.pipeline));
  const rows = steps.map((step) => el('tr', { dataset: { step: `${step.pipeline}/${step.name}` } },
    el('td', { textContent: pipelines.size > 1 ? `${step.pipeline} / ${step.name}` : step.name }),
    el('td', {}, badge(step.status)),
    el('td', { class: 'muted', textContent: stepDuration(step) }),
    el('td', { class: 'step-detail' }, stepDetail(step), step.startedAt ? stepLogToggle(runId, step) : null)));
  const actions = el('div', { class: 'actions' });
  if (run.status === 'queued' || run.status === 'running') {
    actions.append(el('button', { type: 'button', class: 'button quiet', textContent: 'Cancel run', onclick: (e) => cancelRun(app, run, e.currentTarget) }));
  }
  if (run.status === 'failed' && steps.length > 0) {
    actions.append(el('button', { type: 'button', class: 'button', textContent: 'Restart from the failed step', onclick: (e) => restartRun(app, run, e.currentTarget) }));
  }
  box.hidden = false;
  const parts = [
    answer?.waitingFor ? el('p', { class: 'waiting' }, badge('queued'), ` ${answer.waitingFor}`) : null,
    steps.length > 0 ? table(['Step', 'Status', 'Took', ''], rows) : null,
    actions.childElementCount > 0 ? actions : null];
  box.replaceChildren(...parts.filter((part) => part !== null));
}

async function cancelRun(app, run, button) {
  if (!window.confirm(`Cancel run #${run.id} of "${app}"? Its running step is stopped and its containers removed.`)) return;
  button.disabled = true;
  try {
    await api('POST', `/api/runs/${run.id}/cancel`);
    notify('info', [el('p', { textContent: `Run #${run.id} of ${app} is being cancelled.` })]);
    await refreshDetail();
  } catch (err) {
    notifyError(err);
    button.disabled = false;
  }
}

async function restartRun(app, run, button) {
  button.disabled = true;
  try {
    const { run: restarted } = await api('POST', `/api/runs/${run.id}/restart`);
    notify('info', [el('p', { textContent: `Run #${run.id} restarts from its failed step as run #${restarted.id}.` })]);
    location.hash = appHash(app, restarted.id);
    await refreshDetail();
  } catch (err) {
    notifyError(err);
    button.disabled = false;
  }
}

// ---------------------------------------------------------------------------------------------------- create app

async function createApp(event) {
  event.preventDefault();
  const form = event.currentTarget;
  const data = new FormData(form);
  const field = (key) => String(data.get(key) ?? '').trim();
  const request = { name: field('name'), domain: field('domain') };
  if (field('port') !== '') request.port = Number(field('port'));
  if (field('replicas') !== '') request.replicas = Number(field('replicas'));
  if (field('branch') !== '') request.branch = field('branch');

  const submit = form.querySelector('button[type=submit]');
  submit.disabled = true;
  $('create-error').hidden = true;
  try {
    const app = await api('POST', '/api/apps', request);
    form.reset();
    $('create-result').replaceChildren(
      el('p', {}, 'Created ', el('strong', { textContent: app.name }), '. Add the git remote and push to deploy:'),
      el('pre', { class: 'command' }, el('code', { textContent: `git remote add slipway ${app.gitUrl}\ngit push slipway ${app.branch}` })),
      el('p', { class: 'muted', textContent: 'Git asks for a password: use the API token (any user name).' }));
    $('create-result').hidden = false;
    await reloadApps();
    location.hash = appHash(app.name);
  } catch (err) {
    showError($('create-error'), err);
  } finally {
    submit.disabled = false;
  }
}

// ---------------------------------------------------------------------------------------------------- start

$('sign-in-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const token = $('token').value.trim();
  if (token === '') return;
  state.token = token;
  sessionStorage.setItem(TOKEN_KEY, token);
  openDashboard();
});
$('sign-out').addEventListener('click', () => {
  history.replaceState(null, '', location.pathname);
  showSignIn(null);
});
$('refresh').addEventListener('click', () => { reloadApps(); refreshDetail(); });
$('create-form').addEventListener('submit', createApp);
window.addEventListener('hashchange', route);

if (state.token === null) showSignIn(null);
else openDashboard();
