// Process entry of the CLI when run from source (tests, development): `node --import tsx src/cli/entry.ts …`.

import { processIO } from './io.js';
import { main } from './main.js';

process.exitCode = await main(process.argv.slice(2), processIO());
