// The dashboard's typed client of the HTTP API (src/core/api.ts): token, error body and 401 handling in one place.

import type { AppStatus, AppSummary, CreateAppRequest, ReleasesResponse, RollbackRequest, RunResponse, RunsResponse } from '../../core/api.js';
import type { RunStep } from '../../core/ports/store.js';
import type { Release, Run } from '../../core/types.js';

/** GET /api/runs/:id/steps (run-routes.ts). */
export interface StepsResponse {
  readonly steps: readonly RunStep[];
  readonly waitingFor: string | null;
}

/** An error from the API (`{error:{kind,message,field,hint}}`), the network (status 0) or a run (status 0). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly kind: string,
    message: string,
    readonly hint?: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** A 401 is already shown on the sign-in form and an aborted request is not an error: neither is shown again. */
export function isQuiet(err: unknown): boolean {
  return (err instanceof ApiError && err.status === 401) || (err instanceof Error && err.name === 'AbortError');
}

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object';

/** Reads the API's error body; anything else (a proxy's HTML page) becomes the status line. */
export async function errorFrom(res: Response): Promise<ApiError> {
  const body: unknown = await res.json().catch(() => null); // not JSON: fall back to the status line below
  const error = isRecord(body) ? body['error'] : undefined;
  if (isRecord(error) && typeof error['message'] === 'string') {
    const hint = typeof error['hint'] === 'string' ? error['hint'] : undefined;
    const field = typeof error['field'] === 'string' ? error['field'] : undefined;
    return new ApiError(res.status, String(error['kind'] ?? 'error'), error['message'], hint, field);
  }
  return new ApiError(res.status, 'http', `The server answered ${res.status} ${res.statusText}`.trim());
}

/** An array from the answer, or none when the server left it out (an older server). */
const list = <T>(value: readonly T[] | undefined): T[] => (Array.isArray(value) ? [...value] : []);

/** The part of fetch's options the client uses; `cache` exists in browsers (Node's fetch ignores it). */
export interface FetchInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
  cache?: 'no-store';
}

/** The narrow fetch the client needs, so tests can hand it a fake. */
export type Fetch = (path: string, init: FetchInit) => Promise<Response>;

export interface ApiClientOptions {
  /** The token to send; read on every request so signing in again takes effect at once. */
  readonly token: () => string | null;
  /** Called with a "Signed out" error when any request answers 401, before that request's promise rejects. */
  readonly onUnauthorized: (err: ApiError) => void;
  readonly fetch?: Fetch;
}

export class ApiClient {
  readonly #options: ApiClientOptions;
  readonly #fetch: Fetch;

  constructor(options: ApiClientOptions) {
    this.#options = options;
    this.#fetch = options.fetch ?? ((path, init) => fetch(path, init));
  }

  /** fetch with the token; resolves only for 2xx answers. */
  async send(path: string, init: FetchInit = {}): Promise<Response> {
    const headers = { ...init.headers, Authorization: `Bearer ${this.#options.token()}` };
    let res: Response;
    try {
      res = await this.#fetch(path, { cache: 'no-store', ...init, headers });
    } catch (err) {
      if (err instanceof Error && err.name === 'AbortError') throw err;
      throw new ApiError(0, 'network', 'Could not reach the Slipway server.',
        'Check that the server is running and reachable, then press Refresh.');
    }
    if (res.ok) return res;
    const error = await errorFrom(res);
    if (res.status === 401) {
      this.#options.onUnauthorized(new ApiError(401, error.kind, `Signed out: ${error.message}`,
        error.hint ?? 'Sign in again with a valid API token.'));
    }
    throw error;
  }

  async #json<T>(method: string, path: string, body?: unknown): Promise<T | null> {
    const init: FetchInit = { method };
    if (body !== undefined) {
      init.headers = { 'Content-Type': 'application/json' };
      init.body = JSON.stringify(body);
    }
    const res = await this.send(path, init);
    return res.status === 204 ? null : ((await res.json()) as T);
  }

  async apps(): Promise<AppSummary[]> {
    return list((await this.#json<{ apps?: AppSummary[] }>('GET', '/api/apps'))?.apps);
  }

  async status(app: string): Promise<AppStatus> {
    return (await this.#json<AppStatus>('GET', appPath(app)))!;
  }

  async releases(app: string): Promise<Release[]> {
    return list((await this.#json<Partial<ReleasesResponse>>('GET', `${appPath(app)}/releases`))?.releases);
  }

  async runs(app: string): Promise<Run[]> {
    return list((await this.#json<Partial<RunsResponse>>('GET', `${appPath(app)}/runs`))?.runs);
  }

  async createApp(request: CreateAppRequest): Promise<AppSummary> {
    return (await this.#json<AppSummary>('POST', '/api/apps', request))!;
  }

  async rollback(app: string, release: number): Promise<Run> {
    const body: RollbackRequest = { release };
    return (await this.#json<RunResponse>('POST', `${appPath(app)}/rollback`, body))!.run;
  }

  async run(id: number): Promise<Run> {
    return (await this.#json<RunResponse>('GET', `/api/runs/${id}`))!.run;
  }

  async steps(id: number): Promise<StepsResponse> {
    const answer = await this.#json<Partial<StepsResponse>>('GET', `/api/runs/${id}/steps`);
    return { steps: list(answer?.steps), waitingFor: answer?.waitingFor ?? null };
  }

  async stepLog(id: number, pipeline: string, step: string): Promise<string> {
    const res = await this.send(`/api/runs/${id}/steps/${encodeURIComponent(pipeline)}/${encodeURIComponent(step)}/logs`);
    return res.text();
  }

  async cancel(id: number): Promise<Run> {
    return (await this.#json<RunResponse>('POST', `/api/runs/${id}/cancel`))!.run;
  }

  async restart(id: number): Promise<Run> {
    return (await this.#json<RunResponse>('POST', `/api/runs/${id}/restart`))!.run;
  }

  /** The run's build/deploy log as text chunks, streamed until the run ends or `signal` aborts. */
  async *followLog(id: number, signal: AbortSignal): AsyncGenerator<string, void, undefined> {
    const res = await this.send(`/api/runs/${id}/logs?follow=1`, { signal });
    if (res.body === null) return;
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      yield decoder.decode(value, { stream: true });
    }
    const rest = decoder.decode();
    if (rest !== '') yield rest;
  }
}

const appPath = (app: string): string => `/api/apps/${encodeURIComponent(app)}`;
