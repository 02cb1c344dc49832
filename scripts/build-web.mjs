// Bundles the dashboard's TypeScript (src/web/app, entry main.ts) into dist/web/app.js; run by `npm run build` after tsc.
// The options come from the compiled dashboard-routes.js, so the served bundle and this file are built alike.

import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const routesModule = join(root, 'dist/src/api/http/dashboard-routes.js');
const { bundleOptions, dashboardPaths } = await import(pathToFileURL(routesModule).href);
const paths = dashboardPaths(routesModule);
mkdirSync(dirname(paths.bundle), { recursive: true });
await build({ ...bundleOptions(paths.entry), outfile: paths.bundle });
