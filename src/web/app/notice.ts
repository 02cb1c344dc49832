// The dismissable notice under the top bar: what an action started, or why it failed.

import { isQuiet } from '../client/api-client.js';
import { byId, el, type Child } from './dom.js';
import { errorLines } from './widgets.js';

export function notify(tone: 'info' | 'error', children: Child): void {
  const box = byId('notice');
  box.className = `notice notice-${tone}`;
  box.replaceChildren(
    el('div', { class: 'notice-body' }, children),
    el('button', { class: 'button quiet', text: 'Dismiss', attrs: { type: 'button' }, onClick: () => { box.hidden = true; } }));
  box.hidden = false;
}

export function notifyError(err: unknown): void {
  if (!isQuiet(err)) notify('error', errorLines(err));
}

/** Info notices belong to the app they were about; errors stay until dismissed. */
export function hideInfoNotice(): void {
  const box = byId('notice');
  if (box.classList.contains('notice-info')) box.hidden = true;
}
