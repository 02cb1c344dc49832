// Serves the dashboard's static files (no build step) with a strict Content-Security-Policy.

import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';
import { SlipwayError } from '../core/errors.js';

/** The page loads only its own script and style and talks only to its own origin; nothing inline. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const FILES = [
  { route: '/', file: 'index.html', type: 'text/html; charset=utf-8' },
  { route: '/app.js', file: 'app.js', type: 'text/javascript; charset=utf-8' },
  { route: '/style.css', file: 'style.css', type: 'text/css; charset=utf-8' },
  { route: '/favicon.svg', file: 'favicon.svg', type: 'image/svg+xml' },
] as const;

/**
 * Routes for `/`, `/app.js`, `/style.css` and `/favicon.svg`. The files are read once, here, so a missing folder fails at
 * start-up rather than on the first visit. Mount with `app.route('/', webRoutes())`.
 */
export function webRoutes(publicDir: string = findPublicDir()): Hono {
  const routes = new Hono();
  for (const { route, file, type } of FILES) {
    const body = new Uint8Array(readFileSync(join(publicDir, file)));
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
    routes.get(route, (c) => {
      c.header('Content-Security-Policy', CONTENT_SECURITY_POLICY);
      c.header('X-Content-Type-Options', 'nosniff');
      c.header('Referrer-Policy', 'no-referrer');
      // Revalidate every time so an upgraded server never runs against a stale cached app.js.
      c.header('Cache-Control', 'no-cache');
      c.header('ETag', etag);
      if (c.req.header('If-None-Match') === etag) return c.body(null, 304);
      c.header('Content-Type', type);
      return c.body(body);
    });
  }
  return routes;
}

/**
 * The folder beside this module when it runs from source (tsx, `src/web/`); after `tsc` it runs from
 * `dist/src/web/`, which has no copy of the static files, so fall back to the repository's `src/web/public`.
 */
export function findPublicDir(moduleDir: string = dirname(fileURLToPath(import.meta.url))): string {
  const candidates = [join(moduleDir, 'public'), resolve(moduleDir, '../../../src/web/public')];
  const found = candidates.find((dir) => existsSync(join(dir, 'index.html')));
  if (found === undefined) {
    throw new SlipwayError('internal', 'the dashboard files were not found', {
      field: 'src/web/public',
      hint: `looked in ${candidates.join(' and ')}; install Slipway with its src/web/public folder`,
    });
  }
  return found;
}
