// Serves the dashboard (index.html, its bundled script, CSS, icon) with a strict Content-Security-Policy.

import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BuildOptions } from 'esbuild';
import { Hono } from 'hono';
import { SlipwayError } from '../../core/errors.js';

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

/** Where the dashboard's files are: the static ones, and the script's entry point and its bundle. */
export interface DashboardPaths {
  /** index.html, style.css, favicon.svg. */
  readonly publicDir: string;
  /** The browser code's entry point (src/web/app/main.ts). */
  readonly entry: string;
  /** The bundle `npm run build` writes (dist/web/app.js); null when running from source (bundled at start). */
  readonly bundle: string | null;
}

/**
 * From source (tsx runs this .ts file in `src/api/http/`) the script is bundled in memory at start-up, so it is
 * never stale; compiled (`dist/src/api/http/*.js`) it is the bundle `npm run build` wrote to dist/web/.
 */
export function dashboardPaths(moduleFile: string = fileURLToPath(import.meta.url)): DashboardPaths {
  const compiled = moduleFile.endsWith('.js');
  const root = resolve(dirname(moduleFile), compiled ? '../../../..' : '../../..');
  return {
    publicDir: join(root, 'src/web/public'),
    entry: join(root, 'src/web/app/main.ts'),
    bundle: compiled ? join(root, 'dist/web/app.js') : null,
  };
}

/** The esbuild options of the dashboard bundle; scripts/build-web.mjs writes the same bundle to a file. */
export function bundleOptions(entry: string): BuildOptions {
  return {
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2022'],
    legalComments: 'none',
    logLevel: 'silent',
  };
}

/** The script: the built bundle, or the source bundled now (esbuild, ~50 ms; loaded only when running from source). */
export function dashboardScript(paths: DashboardPaths): Uint8Array<ArrayBuffer> {
  if (paths.bundle !== null) {
    if (!existsSync(paths.bundle)) {
      throw new SlipwayError('internal', 'the dashboard bundle was not found', {
        field: paths.bundle, hint: 'build Slipway with `npm run build`, which bundles the dashboard',
      });
    }
    return new Uint8Array(readFileSync(paths.bundle));
  }
  const cached = bundledFromSource.get(paths.entry);
  if (cached !== undefined) return cached;
  const esbuild = createRequire(import.meta.url)('esbuild') as typeof import('esbuild');
  const result = esbuild.buildSync({ ...bundleOptions(paths.entry), write: false });
  const file = result.outputFiles?.[0];
  if (file === undefined) throw new SlipwayError('internal', `bundling ${paths.entry} produced no file`);
  const script = new Uint8Array(file.contents);
  bundledFromSource.set(paths.entry, script);
  return script;
}

/** Tests start many servers in one process; the source does not change under them, so it is bundled once. */
const bundledFromSource = new Map<string, Uint8Array<ArrayBuffer>>();

const STATIC_FILES = [
  { route: '/', file: 'index.html', type: 'text/html; charset=utf-8' },
  { route: '/style.css', file: 'style.css', type: 'text/css; charset=utf-8' },
  { route: '/favicon.svg', file: 'favicon.svg', type: 'image/svg+xml' },
] as const;

/**
 * Routes for `/`, `/app.js`, `/style.css` and `/favicon.svg`. The files are read (and the script bundled) once,
 * here, so a missing file fails at start-up rather than on the first visit. Mount with `app.route('/', dashboardRoutes())`.
 */
export function dashboardRoutes(paths: DashboardPaths = dashboardPaths()): Hono {
  if (!existsSync(join(paths.publicDir, 'index.html'))) {
    throw new SlipwayError('internal', 'the dashboard files were not found', {
      field: paths.publicDir, hint: 'install Slipway with its src/web/public folder',
    });
  }
  const files = [
    ...STATIC_FILES.map(({ route, file, type }) => ({ route, type, body: new Uint8Array(readFileSync(join(paths.publicDir, file))) })),
    { route: '/app.js', type: 'text/javascript; charset=utf-8', body: dashboardScript(paths) },
  ];
  const routes = new Hono();
  for (const { route, type, body } of files) {
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
