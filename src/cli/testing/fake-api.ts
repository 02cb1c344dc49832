// A fake Slipway API for CLI tests: a real node:http server on 127.0.0.1 that records requests and answers per route.

import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { httpStatusOf, SlipwayError, type ErrorKind } from '../../core/errors.js';

export const TOKEN = 'test-token-do-not-print';

export interface RecordedRequest {
  readonly method: string;
  /** Path with its query string, as the client sent it. */
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

export type Handler = (req: RecordedRequest, res: ServerResponse) => void | Promise<void>;

export interface FakeApi {
  readonly url: string;
  readonly requests: RecordedRequest[];
  close(): Promise<void>;
}

/** Starts the fake; `routes` keys are `METHOD /path` without the query. Like the API, it wants the Bearer token. */
export async function startFakeApi(routes: Record<string, Handler>): Promise<FakeApi> {
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const recorded = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) };
      requests.push(recorded);
      const key = `${recorded.method} ${recorded.path.split('?')[0]}`;
      const handler = routes[key];
      // Signing in is the one API call made without a token.
      if (req.headers.authorization !== `Bearer ${TOKEN}` && key !== 'POST /api/session') {
        fail('unauthorized', 'invalid token', 'check SLIPWAY_TOKEN')(recorded, res);
      } else if (handler === undefined) {
        fail('not_found', `no route ${recorded.method} ${recorded.path}`)(recorded, res);
      } else {
        Promise.resolve(handler(recorded, res)).catch((err: unknown) => res.destroy(err as Error));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function json(body: unknown, status = 200): Handler {
  return (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
}

export function noContent(): Handler {
  return (_req, res) => {
    res.writeHead(204);
    res.end();
  };
}

/** text/plain, written as separate chunks. */
export function text(...chunks: string[]): Handler {
  return (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
    for (const chunk of chunks) res.write(chunk);
    res.end();
  };
}

/** An ErrorBody with the status the real API gives that kind. */
export function fail(kind: ErrorKind, message: string, hint?: string, field?: string): Handler {
  return json(new SlipwayError(kind, message, { hint, field }).toJSON(), httpStatusOf(kind));
}

/** Answers with each handler in turn, repeating the last one (e.g. a run that is running, then done). */
export function sequence(...handlers: Handler[]): Handler {
  let next = 0;
  return (req, res) => {
    const handler = handlers[Math.min(next++, handlers.length - 1)];
    if (handler === undefined) throw new Error('sequence() needs a handler');
    return handler(req, res);
  };
}

export function bodyJson(req: RecordedRequest | undefined): unknown {
  if (req === undefined) throw new Error('no such request was made');
  return JSON.parse(req.body.toString('utf8'));
}
