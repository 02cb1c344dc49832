// HTTP client for Caddy's admin API on a unix socket: load a whole config, read the live one.

import { request } from 'node:http';
import { SlipwayError } from '../../core/errors.js';
import type { CaddyConfig } from './config-types.js';

export interface CaddyAdminClientOptions {
  /** Host path of the admin socket (bind-mounted from the edge container). */
  readonly socketPath: string;
  /** Per call; default 30 s (a /load provisions every module before it answers). */
  readonly timeoutMs?: number;
}

/** Error codes meaning nobody is listening yet: the request certainly did not reach Caddy, so it is safe to retry. */
const NOT_LISTENING = new Set(['ENOENT', 'ECONNREFUSED']);

export class CaddyAdminClient {
  readonly socketPath: string;
  private readonly timeoutMs: number;

  constructor(opts: CaddyAdminClientOptions) {
    this.socketPath = opts.socketPath;
    this.timeoutMs = opts.timeoutMs ?? 30_000;
  }

  /** POST /load: Caddy swaps the whole config atomically, or keeps the old one and says why. */
  async load(config: CaddyConfig): Promise<void> {
    await this.call('POST', '/load', JSON.stringify(config));
  }

  /** GET /config/: the live config as Caddy holds it (null when it runs with none). */
  async getConfig(): Promise<unknown> {
    const body = await this.call('GET', '/config/');
    try {
      return JSON.parse(body) as unknown;
    } catch (err) {
      throw new SlipwayError('dependency', `Caddy admin API returned invalid JSON for GET /config/`, { cause: err });
    }
  }

  private call(method: 'GET' | 'POST', path: string, body?: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const headers: Record<string, string> = { Host: 'localhost' };
      if (body !== undefined) {
        headers['Content-Type'] = 'application/json';
        headers['Content-Length'] = String(Buffer.byteLength(body));
      }
      const req = request({ socketPath: this.socketPath, method, path, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (err) => fail(this.unreachable(method, path, err)));
        res.on('end', () => {
          clearTimeout(timer);
          const text = Buffer.concat(chunks).toString('utf8');
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) resolve(text);
          else reject(rejected(method, path, status, text));
        });
      });
      const fail = (err: SlipwayError): void => {
        clearTimeout(timer);
        req.destroy();
        reject(err);
      };
      const timer = setTimeout(() => {
        fail(new SlipwayError('dependency', `Caddy admin API did not answer ${method} ${path} within ${this.timeoutMs} ms`, {
          hint: `check the edge service's logs (docker service logs <edge service>)`,
        }));
      }, this.timeoutMs);
      req.on('error', (err) => fail(this.unreachable(method, path, err)));
      req.end(body);
    });
  }

  private unreachable(method: string, path: string, err: Error): SlipwayError {
    return new SlipwayError('dependency', `Caddy admin API at ${this.socketPath} is unreachable (${method} ${path}): ${err.message}`, {
      hint: 'is the edge service running? check `docker service ps` and its logs',
      cause: err,
    });
  }
}

/** True when the error says the admin socket is not up (yet): nothing was sent, a retry is safe. */
export function isAdminNotListening(err: unknown): boolean {
  if (!(err instanceof SlipwayError) || !(err.cause instanceof Error)) return false;
  const code = (err.cause as NodeJS.ErrnoException).code;
  return code !== undefined && NOT_LISTENING.has(code);
}

function rejected(method: string, path: string, status: number, text: string): SlipwayError {
  return new SlipwayError('dependency', `Caddy refused ${method} ${path} (HTTP ${status}): ${caddyErrorText(text)}`, {
    hint: 'the edge keeps serving its previous config; fix the route (domain or upstream) Caddy names above',
  });
}

/** Caddy answers errors as {"error":"…"}; anything else is passed on trimmed. */
function caddyErrorText(text: string): string {
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && typeof (parsed as { error?: unknown }).error === 'string') {
      return (parsed as { error: string }).error;
    }
  } catch {
    // not JSON: fall through to the raw text
  }
  return text.trim().slice(0, 2000) || '(empty response)';
}
