// Smart-HTTP git remote: runs git's own `http-backend` as a CGI program for one app's repository.

import { spawn } from 'node:child_process';
import { Readable } from 'node:stream';
import type { GitHttpRequest } from '../../core/ports/git.js';
import { argv } from './argv.js';

/** `projectRoot` holds `<app>.git`; the environment is built here only, from fixed names and the request. */
export async function serveGit(projectRoot: string, app: string, req: GitHttpRequest): Promise<Response> {
  const url = new URL(req.request.url);
  const headers = req.request.headers;
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    GIT_PROJECT_ROOT: projectRoot,
    GIT_HTTP_EXPORT_ALL: '1',
    PATH_INFO: `/${app}.git${req.rest}`,
    REQUEST_METHOD: req.request.method,
    QUERY_STRING: url.search.replace(/^\?/, ''),
    REMOTE_USER: req.remoteUser,
    REMOTE_ADDR: '127.0.0.1',
    ...req.hookEnv,
  };
  copyHeader(headers, 'content-type', env, 'CONTENT_TYPE');
  copyHeader(headers, 'content-length', env, 'CONTENT_LENGTH');
  copyHeader(headers, 'content-encoding', env, 'HTTP_CONTENT_ENCODING');
  copyHeader(headers, 'git-protocol', env, 'GIT_PROTOCOL');

  const child = spawn('git', argv.httpBackend(), { env, stdio: ['pipe', 'pipe', 'pipe'] });
  child.stderr.resume(); // http-backend's own diagnostics; the client sees errors through the response
  if (req.request.body) {
    Readable.fromWeb(req.request.body as import('node:stream/web').ReadableStream).on('error', () => child.stdin.destroy()).pipe(child.stdin);
  } else {
    child.stdin.end();
  }
  return cgiResponse(child.stdout);
}

function copyHeader(headers: Headers, name: string, env: Record<string, string>, key: string): void {
  const value = headers.get(name);
  if (value !== null) env[key] = value;
}

/** Reads CGI headers (up to the blank line) and streams the rest as the response body. */
async function cgiResponse(stdout: Readable): Promise<Response> {
  const iterator = stdout[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let head = Buffer.alloc(0);
  let bodyStart: Buffer = Buffer.alloc(0);
  for (;;) {
    const { value, done } = await iterator.next();
    if (done) break;
    head = Buffer.concat([head, value]);
    const end = head.indexOf('\r\n\r\n');
    const endLf = end === -1 ? head.indexOf('\n\n') : -1;
    if (end !== -1 || endLf !== -1) {
      const cut = end !== -1 ? end + 4 : endLf + 2;
      bodyStart = head.subarray(cut);
      head = head.subarray(0, cut);
      break;
    }
  }
  let status = 200;
  const responseHeaders = new Headers();
  for (const line of head.toString('latin1').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10) || 500;
    else responseHeaders.append(name, value);
  }
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      if (bodyStart.length > 0) controller.enqueue(new Uint8Array(bodyStart));
    },
    async pull(controller) {
      const { value, done } = await iterator.next();
      if (done) controller.close();
      else controller.enqueue(new Uint8Array(value));
    },
    cancel() {
      stdout.destroy();
    },
  });
  return new Response(status === 204 || status === 304 ? null : body, { status, headers: responseHeaders });
}
