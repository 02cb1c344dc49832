// The benchmark's app on a Slipway instance: created through the API, pushed to with git within a time limit.

import { api } from '../../test/e2e/support/api.js';
import { gitPush, remoteUrl } from '../../test/e2e/support/app-source.js';
import type { TestSlipway } from '../../test/e2e/support/slipway-process.js';
import { checkpoint, within } from './lifecycle.js';

export async function createApp(slipway: TestSlipway, name: string, domain: string): Promise<void> {
  checkpoint();
  const res = await api(slipway, 'POST', '/api/apps', { name, domain });
  if (res.status !== 201) throw new Error(`creating the app failed: HTTP ${res.status} ${JSON.stringify(res.json)}`);
}

/** `git push` of `dir` to the app's remote on the instance; rejects, naming `what`, after `limitMs`. */
export function pushApp(slipway: TestSlipway, app: string, dir: string, limitMs: number, what = 'git push'): ReturnType<typeof gitPush> {
  return within(limitMs, what, gitPush(dir, remoteUrl(slipway.url, app, slipway.token)));
}
