// A small typed client of the Slipway HTTP API: JSON calls, uploads and streamed text, errors as SlipwayError.

import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isErrorKind, SlipwayError, type ErrorKind } from '../core/errors.js';
import type { CliIO, CliOutput } from './command.js';
import { loadCliConfig, type CliConfig } from './config.js';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A client for the server the environment or the config file names. */
export async function connect(io: CliIO): Promise<SlipwayClient> {
  return new SlipwayClient(await loadCliConfig(io));
}

export class SlipwayClient {
  readonly url: string;
  readonly #config: CliConfig;

  constructor(config: CliConfig) {
    this.url = config.url;
    this.#config = config;
  }

  get<T>(path: string): Promise<T> {
    return this.json<T>('GET', path);
  }

  post<T>(path: string, body?: unknown): Promise<T> {
    return this.json<T>('POST', path, body);
  }

  patch<T>(path: string, body: unknown): Promise<T> {
    return this.json<T>('PATCH', path, body);
  }

  /** PUT of a JSON body; the API answers 204 with no body (e.g. setting a secret). */
  async put(path: string, body: unknown): Promise<void> {
    await this.json<unknown>('PUT', path, body);
  }

  /** DELETE; the API answers 204 with no body. */
  async delete(path: string): Promise<void> {
    await this.json<unknown>('DELETE', path);
  }

  /** POSTs raw bytes, e.g. a gzipped tar of the source, and reads the JSON answer. */
  upload<T>(path: string, body: Uint8Array<ArrayBuffer>, contentType: string): Promise<T> {
    return this.#call<T>('POST', path, body, contentType);
  }

  /** A JSON request. The response is typed by the API's shared types (core/api.ts), which the server fills. */
  json<T>(method: Method, path: string, body?: unknown): Promise<T> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return this.#call<T>(method, path, payload, payload === undefined ? undefined : 'application/json');
  }

  /**
   * GETs text and writes each chunk to `out` as it arrives, until the server ends the response.
   * Uses node:http rather than fetch: fetch (undici) aborts a body that stays silent for 300 s,
   * and a quiet app or a long build step is exactly that.
   */
  stream(path: string, out: CliOutput): Promise<void> {
    const url = new URL(this.url + path);
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise<void>((resolve, reject) => {
      const req = send(url, { method: 'GET', headers: { ...this.#auth(), accept: 'text/plain' } }, (res) => {
        readStream(res, out).then(resolve, reject);
      });
      req.on('error', (err) => reject(this.#unreachable(err)));
      req.end();
    });
  }

  async #call<T>(method: Method, path: string, body: string | Uint8Array<ArrayBuffer> | undefined, contentType?: string): Promise<T> {
    const headers: Record<string, string> = { ...this.#auth(), accept: 'application/json' };
    if (contentType !== undefined) headers['content-type'] = contentType;
    let res: Response;
    try {
      res = await fetch(this.url + path, { method, headers, body });
    } catch (err) {
      throw this.#unreachable(err);
    }
    const text = await res.text();
    if (!res.ok) throw errorFromResponse(res.status, text);
    if (text === '') return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch (err) {
      throw new SlipwayError('internal', `Slipway at ${this.url} answered ${method} ${path} with invalid JSON`, { cause: err });
    }
  }

  #auth(): Record<string, string> {
    return { authorization: `Bearer ${this.#config.token.reveal()}` };
  }

  #unreachable(err: unknown): SlipwayError {
    return new SlipwayError('dependency', `cannot reach Slipway at ${this.url}`, {
      hint: 'is `slipway up` running? check SLIPWAY_URL',
      cause: err,
    });
  }
}

async function readStream(res: IncomingMessage, out: CliOutput): Promise<void> {
  const chunks: Buffer[] = [];
  const ok = res.statusCode !== undefined && res.statusCode >= 200 && res.statusCode < 300;
  const decoder = new TextDecoder();
  try {
    for await (const chunk of res) {
      const buf = chunk as Buffer;
      if (ok) out.write(decoder.decode(buf, { stream: true }));
      else chunks.push(buf);
    }
  } catch (err) {
    throw new SlipwayError('dependency', 'the connection to Slipway broke off while streaming', { cause: err });
  }
  if (!ok) throw errorFromResponse(res.statusCode ?? 500, Buffer.concat(chunks).toString('utf8'));
  const rest = decoder.decode();
  if (rest !== '') out.write(rest);
}

/** An error response as a SlipwayError: the API's ErrorBody when there is one, else a kind from the status. */
export function errorFromResponse(status: number, text: string): SlipwayError {
  const body = parseJson(text);
  const error = typeof body === 'object' && body !== null ? (body as Record<string, unknown>).error : undefined;
  if (typeof error === 'object' && error !== null) {
    const e = error as Record<string, unknown>;
    if (isErrorKind(e.kind) && typeof e.message === 'string') {
      const field = typeof e.field === 'string' ? e.field : undefined;
      const hint = typeof e.hint === 'string' ? e.hint : defaultHint(e.kind);
      return new SlipwayError(e.kind, e.message, { field, hint });
    }
  }
  const kind = kindOfStatus(status);
  return new SlipwayError(kind, `Slipway answered HTTP ${status}${text === '' ? '' : `: ${text.slice(0, 200)}`}`, {
    hint: defaultHint(kind),
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined; // not an ErrorBody: the status decides the kind
  }
}

function kindOfStatus(status: number): ErrorKind {
  if (status === 400 || status === 413 || status === 415) return 'invalid_input';
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 409) return 'conflict';
  if (status === 502 || status === 503 || status === 504) return 'dependency';
  return 'internal';
}

function defaultHint(kind: ErrorKind): string | undefined {
  if (kind === 'unauthorized') return 'check SLIPWAY_TOKEN, or run "slipway login <url> --token <token>"';
  return undefined;
}

/** `/api/apps/<name><rest>` with the name escaped, so a name can never change the path. */
export function appPath(app: string, rest = ''): string {
  return `/api/apps/${encodeURIComponent(app)}${rest}`;
}

/** `/api/runs/<id><rest>`. */
export function runPath(id: number, rest = ''): string {
  return `/api/runs/${id}${rest}`;
}
