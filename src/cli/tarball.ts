// Packs a source directory into the gzipped tar that POST /api/apps/:app/deploy takes; .git stays home.

import { readdir, stat } from 'node:fs/promises';
import { create } from 'tar';
import { SlipwayError } from '../core/errors.js';

const SKIPPED = new Set(['.git']);

/** The directory's contents (paths relative to it, `.git` left out at any depth) as a .tar.gz in memory. */
export async function packDirectory(dir: string): Promise<Buffer<ArrayBuffer>> {
  const info = await stat(dir).catch((err: unknown) => {
    throw new SlipwayError('invalid_input', `cannot read ${dir}`, { field: 'dir', hint: 'give the directory to deploy', cause: err });
  });
  if (!info.isDirectory()) {
    throw new SlipwayError('invalid_input', `${dir} is not a directory`, { field: 'dir', hint: 'give the directory to deploy' });
  }
  const entries = (await readdir(dir)).filter((name) => !SKIPPED.has(name)).sort();
  if (entries.length === 0) {
    throw new SlipwayError('invalid_input', `nothing to deploy: ${dir} is empty`, {
      field: 'dir',
      hint: 'deploy a directory with a Dockerfile in it',
    });
  }
  // portable: no uid/gid/user names of this machine in the archive; symlinks are stored as links, not followed.
  const pack = create({ cwd: dir, gzip: true, portable: true, filter: (path) => !isSkipped(path) }, entries);
  const chunks: Buffer[] = [];
  for await (const chunk of pack) chunks.push(chunk);
  return Buffer.concat(chunks);
}

function isSkipped(path: string): boolean {
  return path.split(/[\\/]/).some((part) => SKIPPED.has(part));
}
