#!/usr/bin/env node
// Launcher for the `slipway` command: runs the compiled CLI (build it with `npm run build`).

import { main } from '../dist/src/cli/main.js';
import { processIO } from '../dist/src/cli/io.js';

process.exitCode = await main(process.argv.slice(2), processIO());
