// A small app source tree on disk for deploy tests: a Dockerfile, code, and .git directories that must not be uploaded.

import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A small app source tree with a git directory at the top and in a vendored submodule. */
export async function sourceTree(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'slipway-src-'));
  await mkdir(join(dir, '.git', 'objects'), { recursive: true });
  await mkdir(join(dir, 'src'));
  await mkdir(join(dir, 'vendor', 'lib', '.git'), { recursive: true });
  await writeFile(join(dir, 'Dockerfile'), 'FROM node:20-slim\nCOPY . /app\n');
  await writeFile(join(dir, 'src', 'index.js'), 'console.log("hi")\n');
  await writeFile(join(dir, 'vendor', 'lib', 'lib.js'), 'export {}\n');
  await writeFile(join(dir, '.git', 'HEAD'), 'ref: refs/heads/main\n');
  await writeFile(join(dir, 'vendor', 'lib', '.git', 'config'), '[core]\n');
  await writeFile(join(dir, '.gitignore'), 'node_modules\n');
  return dir;
}
