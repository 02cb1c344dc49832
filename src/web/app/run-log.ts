// The log card of one run: its build/deploy log streamed live (tail followed), its steps polled until it ends.

import { ApiError } from '../client/api-client.js';
import type { Dashboard, DashboardState } from './context.js';
import { el, maybeById } from './dom.js';
import { AnsiFilter, appHash } from '../client/format.js';
import { refreshSteps } from './run-steps.js';
import { badge, showError } from './widgets.js';

/** Steps change while the log streams; they are polled at a walking pace until the stream ends. */
const STEPS_POLL_MS = 2_000;

export function stopLog(state: DashboardState): void {
  state.logAbort?.abort();
  state.logAbort = null;
  state.runId = null;
}

/** Shows run `runId`'s log in the log card (or hides the card for null), replacing any log being followed. */
export async function followLog(ctx: Dashboard, runId: number | null): Promise<void> {
  const { api, state } = ctx;
  stopLog(state);
  for (const row of document.querySelectorAll<HTMLElement>('#runs-card tr[data-run]')) {
    row.classList.toggle('current', row.dataset['run'] === String(runId));
  }
  const card = maybeById('log-card');
  if (!card) return;
  if (runId === null) { card.hidden = true; return; }
  const app = state.selected;
  if (app === null) return;
  state.runId = runId;
  const controller = new AbortController();
  state.logAbort = controller;
  const text = document.createTextNode('');
  const pre = el('pre', { class: 'log', attrs: { tabindex: 0, role: 'log', 'aria-label': `Log of run ${runId}` } }, text);
  const status = badge('streaming', 'running');
  const error = el('div', { class: 'error-box', hidden: true, attrs: { role: 'alert' } });
  const steps = el('div', { class: 'run-steps' });
  card.replaceChildren(
    el('div', { class: 'card-head' },
      el('h2', {}, `Run #${runId} log `, status),
      el('a', { class: 'button quiet', text: 'Close', attrs: { href: appHash(app) } })),
    error, steps, pre);
  card.hidden = false;
  void refreshSteps(ctx, app, runId, steps, controller.signal);
  const stepsTimer = setInterval(() => void refreshSteps(ctx, app, runId, steps, controller.signal), STEPS_POLL_MS);
  controller.signal.addEventListener('abort', () => clearInterval(stepsTimer));

  const filter = new AnsiFilter();
  const append = (chunk: string): void => {
    const clean = filter.push(chunk);
    if (clean === '') return;
    // Follow the tail only if the reader is already at the bottom, so scrolling up to read is not undone.
    const atBottom = pre.scrollHeight - pre.scrollTop - pre.clientHeight < 32;
    text.appendData(clean);
    if (atBottom) pre.scrollTop = pre.scrollHeight;
  };
  try {
    for await (const chunk of api.followLog(runId, controller.signal)) append(chunk);
    const run = await api.run(runId);
    if (controller.signal.aborted) return;
    clearInterval(stepsTimer);
    await refreshSteps(ctx, app, runId, steps, controller.signal);
    status.replaceWith(badge(run.status));
    if (run.error) showError(error, new ApiError(0, run.error.kind, run.error.message, run.error.hint));
    await ctx.refreshDetail();
  } catch (err) {
    if (controller.signal.aborted) return; // the user opened another run or left the app
    status.replaceWith(badge('interrupted', 'failed'));
    showError(error, err);
  }
}
