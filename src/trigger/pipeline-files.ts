// Reads the pipeline files (.slipway.yml, .slipway/, .woodpecker.yml, .woodpecker/, .drone.yml) of a run's source.

import * as tar from 'tar';
import { SlipwayError } from '../core/errors.js';
import type { FileLimits, FileSelection, GitPort, SourceFile } from '../core/ports/git.js';

export type { SourceFile } from '../core/ports/git.js';

/**
 * Pipeline files are read into memory before anything runs, so they are bounded by count, size and total, checked
 * from the sizes git lists before any content is read: one 1 MB blob listed 600 times in a tree is a 3 KiB pack
 * (issue 12).
 */
export const PIPELINE_FILE_LIMITS: FileLimits = { maxFiles: 100, maxFileBytes: 1024 * 1024, maxTotalBytes: 2 * 1024 * 1024 };

const PIPELINE_PATHS = ['.slipway.yml', '.slipway.yaml', '.slipway/', '.woodpecker.yml', '.woodpecker.yaml', '.woodpecker/', '.drone.yml', '.drone.yaml'];

/** Top-level pipeline files and the .yml/.yaml files directly inside the pipeline folders. */
export function isPipelinePath(path: string): boolean {
  const p = path.replace(/^\.\//, '');
  return /^\.(slipway|woodpecker|drone)\.ya?ml$/.test(p) || /^\.(slipway|woodpecker)\/[^/]+\.ya?ml$/.test(p);
}

const PIPELINE_SELECTION: FileSelection = {
  what: 'pipeline files',
  paths: PIPELINE_PATHS,
  accept: isPipelinePath,
  limits: PIPELINE_FILE_LIMITS,
  hint: 'keep the pipeline files few and small: at most 100 files, 1 MiB each and 2 MiB together',
};

export async function pipelineFilesFromGit(git: Pick<GitPort, 'readFiles'>, app: string, commit: string): Promise<SourceFile[]> {
  return git.readFiles(app, commit, PIPELINE_SELECTION);
}

/**
 * An upload's pipeline files; one over the size limit is left out, too many or too much together is refused. A path
 * the tar holds more than once counts once and its last entry wins, as when the tar is unpacked for the build: the
 * earlier copies are dropped, not kept in memory.
 */
export async function pipelineFilesFromTar(file: string): Promise<SourceFile[]> {
  const files = new Map<string, SourceFile>();
  const sizes = new Map<string, number>();
  const { maxFiles, maxFileBytes, maxTotalBytes } = PIPELINE_FILE_LIMITS;
  let total = 0;
  let over = false;
  const forget = (path: string) => {
    total -= sizes.get(path) ?? 0;
    sizes.delete(path);
    files.delete(path);
  };
  await tar.t({
    file,
    onReadEntry: (entry) => {
      const path = entry.path.replace(/^\.\//, '');
      if (over || !isPipelinePath(path)) {
        entry.resume();
        return;
      }
      forget(path);
      if (entry.type !== 'File' || entry.size > maxFileBytes) {
        entry.resume();
        return;
      }
      // A gzipped upload can hold far more than it weighs: count from the headers before keeping any content.
      sizes.set(path, entry.size);
      total += entry.size;
      if (sizes.size > maxFiles || total > maxTotalBytes) {
        over = true;
        entry.resume();
        return;
      }
      const chunks: Buffer[] = [];
      entry.on('data', (c: Buffer) => chunks.push(c));
      entry.on('end', () => {
        if (sizes.has(path)) files.set(path, { path, text: Buffer.concat(chunks).toString('utf8') });
      });
    },
  });
  if (over) {
    const what = sizes.size > maxFiles ? `${sizes.size} pipeline files; at most ${maxFiles} are read` : `${total} bytes of pipeline files; at most ${maxTotalBytes / 1024 / 1024} MiB together are read`;
    throw new SlipwayError('invalid_input', `the upload has ${what}`, { hint: PIPELINE_SELECTION.hint });
  }
  return [...files.values()].sort((a, b) => a.path.localeCompare(b.path));
}
