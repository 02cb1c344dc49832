// Sample-app sources for the benchmark: unique builds and a one-line edit of server.js.
//
// Each source is unique right after FROM, so its build shares no cached layer with any other source.

import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sampleSource } from '../../test/e2e/support/app-source.js';

export async function uniqueSource(label: string): Promise<string> {
  const dir = await sampleSource(label);
  await writeFile(join(dir, 'bench-nonce.txt'), `${label} ${randomBytes(16).toString('hex')} ${new Date().toISOString()}\n`);
  const dockerfile = join(dir, 'Dockerfile');
  const text = await readFile(dockerfile, 'utf8');
  const unique = text.replace(/^FROM node:20-slim$/m, 'FROM node:20-slim\nCOPY bench-nonce.txt /bench-nonce.txt');
  if (unique === text) throw new Error('the sample Dockerfile no longer starts with FROM node:20-slim');
  await writeFile(dockerfile, unique);
  return dir;
}

/** Changes exactly one line of server.js: the greeting, tagged with `label`. */
export async function editGreeting(dir: string, label: string): Promise<void> {
  const file = join(dir, 'server.js');
  const text = await readFile(file, 'utf8');
  const edited = text.replace(/Hello from Slipway(?: \[[^\]]*\])?!/, `Hello from Slipway [${label}]!`);
  if (edited === text) throw new Error('server.js has no greeting to edit');
  await writeFile(file, edited);
}
