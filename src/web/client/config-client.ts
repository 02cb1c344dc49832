// The dashboard's calls for an app's runtime config (core/api-config.ts), over the one ApiClient (token, errors, 401).

import type { ConfigChangeRequest, ConfigChangeResponse, ConfigItem, ConfigResponse } from '../../core/api-config.js';
import type { ApiClient } from './api-client.js';

const configPath = (app: string, rest = ''): string => `/api/apps/${encodeURIComponent(app)}/config${rest}`;

async function json<T>(api: ApiClient, method: string, path: string, body?: unknown): Promise<T> {
  const res = await api.send(path, {
    method,
    ...(body === undefined ? {} : { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }),
  });
  return (await res.json()) as T;
}

export async function loadConfig(api: ApiClient, app: string): Promise<ConfigItem[]> {
  const answer = await json<Partial<ConfigResponse>>(api, 'GET', configPath(app));
  return Array.isArray(answer.config) ? [...answer.config] : [];
}

export function changeConfig(api: ApiClient, app: string, change: ConfigChangeRequest): Promise<ConfigChangeResponse> {
  return json<ConfigChangeResponse>(api, 'PATCH', configPath(app), change);
}

export function unsetConfigKey(api: ApiClient, app: string, key: string): Promise<ConfigChangeResponse> {
  return json<ConfigChangeResponse>(api, 'DELETE', configPath(app, `/${encodeURIComponent(key)}`));
}

/** A config item as the panel shows its value: a secret's value is never sent, so it reads as dots. */
export function shownValue(item: ConfigItem): string {
  return item.secret || item.value === null ? '••••' : item.value;
}

/** The sentence the panel shows after a change was stored. */
export function changeOutcome(app: string, res: ConfigChangeResponse): string {
  switch (res.applied) {
    case 'rolling_out':
      return `Config of ${app} saved; rolling it out as run #${res.run?.id ?? '?'}. If the rollout fails, the previous release keeps serving and the saved config goes out with the next deploy.`;
    case 'staged':
      return `Config of ${app} saved; it goes out with the next deploy.`;
    case 'no_live_release':
      return `Config of ${app} saved; ${app} has no live release yet, its first deploy starts with it.`;
  }
}
