// The "Create app" form: sends the request, then shows the git remote to push to and opens the new app.

import type { Dashboard } from './context.js';
import { byId, el } from './dom.js';
import { appHash, createAppRequest } from '../client/format.js';
import { showError } from './widgets.js';

export async function createApp(ctx: Dashboard, form: HTMLFormElement): Promise<void> {
  const data = new FormData(form);
  const request = createAppRequest((key) => String(data.get(key) ?? '').trim());
  const submit = form.querySelector<HTMLButtonElement>('button[type=submit]');
  if (submit) submit.disabled = true;
  byId('create-error').hidden = true;
  try {
    const app = await ctx.api.createApp(request);
    form.reset();
    const result = byId('create-result');
    result.replaceChildren(
      el('p', {}, 'Created ', el('strong', { text: app.name }), '. Add the git remote and push to deploy:'),
      el('pre', { class: 'command' }, el('code', { text: `git remote add slipway ${app.gitUrl}\ngit push slipway ${app.branch}` })),
      el('p', { class: 'muted', text: 'Git asks for a password: use the API token (any user name).' }));
    result.hidden = false;
    await ctx.reloadApps();
    ctx.go(appHash(app.name));
  } catch (err) {
    showError(byId('create-error'), err);
  } finally {
    if (submit) submit.disabled = false;
  }
}
