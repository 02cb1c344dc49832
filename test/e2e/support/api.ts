// A tiny API client for tests (the CLI is tested through its own main() where a test is about the CLI).

import type { TestSlipway } from './slipway-process.js';

export async function api<T = unknown>(s: TestSlipway, method: string, path: string, body?: unknown, token = s.token): Promise<{ status: number; json: T }> {
  const res = await fetch(`${s.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, json: (text ? JSON.parse(text) : null) as T };
}

/** Polls a run until it has finished. */
export async function waitForRunEnd(s: TestSlipway, runId: number, timeoutMs = 300_000): Promise<{ status: string; error: { kind: string; message: string } | null; phase: string }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { json } = await api<{ run: { status: string; error: { kind: string; message: string } | null; phase: string } }>(s, 'GET', `/api/runs/${runId}`);
    if (['succeeded', 'failed', 'cancelled'].includes(json.run.status)) return json.run;
    if (Date.now() > deadline) throw new Error(`run ${runId} still ${json.run.status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** Uploads a directory as `slipway deploy` does; returns the queued run's id. */
export async function uploadDeploy(s: TestSlipway, app: string, dir: string): Promise<number> {
  const { packDirectory } = await import('../../../src/cli/tarball.js');
  const body = await packDirectory(dir);
  const res = await fetch(`${s.url}/api/apps/${app}/deploy`, {
    method: 'POST',
    headers: { authorization: `Bearer ${s.token}`, 'content-type': 'application/gzip' },
    body,
  });
  const json = (await res.json()) as { run?: { id: number }; error?: { message: string } };
  if (!json.run) throw new Error(`deploy refused (${res.status}): ${json.error?.message}`);
  return json.run.id;
}

export async function runLog(s: TestSlipway, runId: number): Promise<string> {
  const res = await fetch(`${s.url}/api/runs/${runId}/logs`, { headers: { authorization: `Bearer ${s.token}` } });
  return res.text();
}
