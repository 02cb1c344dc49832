// A run's steps: what it waits for, each step's status, time and why, its output on demand; cancel and restart.

import type { RunStep } from '../../core/ports/store.js';
import type { Run } from '../../core/types.js';
import type { ApiClient } from '../client/api-client.js';
import type { Dashboard } from './context.js';
import { el } from './dom.js';
import { appHash, stepDetail, stepDuration, stripAnsi } from '../client/format.js';
import { notify, notifyError } from './notice.js';
import { badge, errorLines, showError, table } from './widgets.js';

/** Fills `box` with the run's steps and actions; a late answer after `signal` aborted is dropped. */
export async function refreshSteps(ctx: Dashboard, app: string, runId: number, box: HTMLElement, signal: AbortSignal): Promise<void> {
  let answer;
  let run: Run;
  try {
    [answer, run] = await Promise.all([ctx.api.steps(runId), ctx.api.run(runId)]);
  } catch (err) {
    if (!signal.aborted) showError(box, err);
    return;
  }
  if (signal.aborted) return;
  const { steps, waitingFor } = answer;
  const pipelines = new Set(steps.map((s) => s.pipeline));
  const rows = steps.map((step) => el('tr', { dataset: { step: `${step.pipeline}/${step.name}` } },
    el('td', { text: pipelines.size > 1 ? `${step.pipeline} / ${step.name}` : step.name }),
    el('td', {}, badge(step.status)),
    el('td', { class: 'muted', text: stepDuration(step, Date.now()) }),
    el('td', { class: 'step-detail' }, stepDetail(step), step.startedAt ? stepLogToggle(ctx.api, runId, step) : null)));
  const actions = el('div', { class: 'actions' });
  if (run.status === 'queued' || run.status === 'running') {
    actions.append(el('button', { class: 'button quiet', text: 'Cancel run', attrs: { type: 'button' },
      onClick: (e) => void cancelRun(ctx, app, run, e.currentTarget as HTMLButtonElement) }));
  }
  if (run.status === 'failed' && steps.length > 0) {
    actions.append(el('button', { class: 'button', text: 'Restart from the failed step', attrs: { type: 'button' },
      onClick: (e) => void restartRun(ctx, app, run, e.currentTarget as HTMLButtonElement) }));
  }
  box.hidden = false;
  box.replaceChildren(...[
    waitingFor ? el('p', { class: 'waiting' }, badge('queued'), ` ${waitingFor}`) : null,
    steps.length > 0 ? table(['Step', 'Status', 'Took', ''], rows) : null,
    actions.childElementCount > 0 ? actions : null,
  ].filter((part) => part !== null));
}

/** A step's stored log, read when its row is opened (it may be large; most are never looked at). */
function stepLogToggle(api: ApiClient, runId: number, step: RunStep): HTMLDetailsElement {
  const pre = el('pre', { class: 'log step-log', text: 'loading…' });
  const details = el('details', {}, el('summary', { text: 'output' }), pre);
  details.addEventListener('toggle', async () => {
    if (!details.open) return;
    try {
      pre.textContent = stripAnsi(await api.stepLog(runId, step.pipeline, step.name)) || '(no output)';
    } catch (err) {
      pre.replaceChildren(...errorLines(err));
    }
  });
  return details;
}

async function cancelRun(ctx: Dashboard, app: string, run: Run, button: HTMLButtonElement): Promise<void> {
  if (!window.confirm(`Cancel run #${run.id} of "${app}"? Its running step is stopped and its containers removed.`)) return;
  button.disabled = true;
  try {
    await ctx.api.cancel(run.id);
    notify('info', [el('p', { text: `Run #${run.id} of ${app} is being cancelled.` })]);
    await ctx.refreshDetail();
  } catch (err) {
    notifyError(err);
    button.disabled = false;
  }
}

async function restartRun(ctx: Dashboard, app: string, run: Run, button: HTMLButtonElement): Promise<void> {
  button.disabled = true;
  try {
    const restarted = await ctx.api.restart(run.id);
    notify('info', [el('p', { text: `Run #${run.id} restarts from its failed step as run #${restarted.id}.` })]);
    ctx.go(appHash(app, restarted.id));
    await ctx.refreshDetail();
  } catch (err) {
    notifyError(err);
    button.disabled = false;
  }
}
