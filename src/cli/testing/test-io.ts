// A CliIO for tests: captured stdout/stderr and an explicit environment, no process globals.

import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliIO, CliOutput } from '../command.js';
import type { FakeApi } from './fake-api.js';
import { TOKEN } from './fake-api.js';

export class Capture implements CliOutput {
  text = '';
  readonly isTTY = false;
  /** Called after each write, e.g. to let a fake server send its next chunk. */
  onWrite: ((text: string) => void) | undefined;

  write(chunk: string): boolean {
    this.text += chunk;
    this.onWrite?.(chunk);
    return true;
  }
}

export interface TestIO extends CliIO {
  readonly stdout: Capture;
  readonly stderr: Capture;
}

export function testIO(env: Record<string, string | undefined>, cwd = '/'): TestIO {
  return { stdout: new Capture(), stderr: new Capture(), env, cwd };
}

/** An IO pointed at the fake API through SLIPWAY_URL / SLIPWAY_TOKEN, with an empty HOME of its own. */
export async function apiIO(api: FakeApi, cwd = '/'): Promise<TestIO> {
  const home = await mkdtemp(join(tmpdir(), 'slipway-cli-home-'));
  return testIO({ SLIPWAY_URL: api.url, SLIPWAY_TOKEN: TOKEN, HOME: home }, cwd);
}
