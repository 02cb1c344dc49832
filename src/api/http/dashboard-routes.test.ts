import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { SlipwayError } from '../../core/errors.js';
import { CONTENT_SECURITY_POLICY, dashboardPaths, dashboardRoutes } from './dashboard-routes.js';

describe('dashboard routes', () => {
  it('bundles from source when run from src/, and serves the bundle npm run build wrote when run from dist/', () => {
    assert.deepEqual(dashboardPaths('/opt/slipway/src/api/http/dashboard-routes.ts'), {
      publicDir: '/opt/slipway/src/web/public', entry: '/opt/slipway/src/web/app/main.ts', bundle: null,
    });
    assert.deepEqual(dashboardPaths('/opt/dist/dist/src/api/http/dashboard-routes.js'), {
      publicDir: '/opt/dist/src/web/public', entry: '/opt/dist/src/web/app/main.ts', bundle: '/opt/dist/dist/web/app.js',
    });
  });

  it('serves the source bundled at start: one ES module with no HTML parsing or eval, under the strict CSP', async () => {
    const routes = dashboardRoutes();
    const res = await routes.request('/app.js');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/javascript; charset=utf-8');
    assert.equal(res.headers.get('content-security-policy'), CONTENT_SECURITY_POLICY);
    assert.match(CONTENT_SECURITY_POLICY, /script-src 'self'(;|$)/);
    const script = await res.text();
    assert.match(script, /slipway\.token/, 'the dashboard code is in the bundle');
    assert.doesNotMatch(script, /innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function/);
    assert.doesNotMatch(script, /^\s*import\s/m, 'bundled: no imports left for the browser to fetch');
  });

  it('refuses to start from dist/ without the built bundle, saying how to build it', async (t) => {
    const root = mkdtempSync(join(tmpdir(), 'slipway-dash-'));
    t.after(() => rmSync(root, { recursive: true, force: true }));
    mkdirSync(join(root, 'src/web/public'), { recursive: true });
    for (const file of ['index.html', 'style.css', 'favicon.svg']) writeFileSync(join(root, 'src/web/public', file), '');
    const paths = dashboardPaths(join(root, 'dist/src/api/http/dashboard-routes.js'));
    assert.throws(() => dashboardRoutes(paths), (err: unknown) => err instanceof SlipwayError && /npm run build/.test(err.hint ?? ''));
    mkdirSync(join(root, 'dist/web'), { recursive: true });
    writeFileSync(join(root, 'dist/web/app.js'), 'console.log("built")');
    const res = await dashboardRoutes(paths).request('/app.js');
    assert.equal(await res.text(), 'console.log("built")');
  });
});
