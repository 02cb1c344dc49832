// The <id> argument of the run commands: a run number as `slipway runs <app>` shows it, `12` or `#12`.

import { wholeNumber } from '../../flags.js';

/** The run number; invalid_input when it is not a number. */
export function runId(value: string): number {
  return wholeNumber(value.replace(/^#/, ''), 'run id');
}
