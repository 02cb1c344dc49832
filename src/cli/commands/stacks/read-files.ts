// Reads the compose files named with -c (and the `.env` beside the first one, when there is one) as the API takes them.

import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { StackFileText } from '../../../core/api.js';
import { SlipwayError } from '../../../core/errors.js';

const MAX_BYTES = 1024 * 1024;

export async function readComposeFiles(cwd: string, paths: readonly string[] | undefined): Promise<StackFileText[]> {
  if (paths === undefined || paths.length === 0) {
    throw new SlipwayError('invalid_input', 'no compose file given', { field: 'c', hint: 'name it with -c compose.yml (repeat -c to merge an override)' });
  }
  const files: StackFileText[] = [];
  for (const path of paths) files.push({ path, text: await readText(resolve(cwd, path), path, true) });
  const env = resolve(cwd, dirname(paths[0] as string), '.env');
  const envText = await readText(env, '.env', false);
  if (envText !== null) files.push({ path: '.env', text: envText });
  return files;
}

async function readText(file: string, shown: string, required: true): Promise<string>;
async function readText(file: string, shown: string, required: false): Promise<string | null>;
async function readText(file: string, shown: string, required: boolean): Promise<string | null> {
  const bytes = await readFile(file).catch((err: unknown) => {
    if (!required && (err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new SlipwayError('invalid_input', `cannot read ${shown}`, { field: 'c', hint: 'check the path given with -c', cause: err });
  });
  if (bytes === null) return null;
  if (bytes.length > MAX_BYTES) throw new SlipwayError('invalid_input', `${shown} is larger than ${MAX_BYTES} bytes`, { field: 'c' });
  return bytes.toString('utf8');
}
