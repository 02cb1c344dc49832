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

/** An upload's pipeline files; one over the size limit is left out, too many or too much together is refused. */
export async function pipelineFilesFromTar(file: string): Promise<SourceFile[]> {
  const files: SourceFile[] = [];
  const { maxFiles, maxFileBytes, maxTotalBytes } = PIPELINE_FILE_LIMITS;
  let count = 0;
  let total = 0;
  await tar.t({
    file,
    onReadEntry: (entry) => {
      const path = entry.path.replace(/^\.\//, '');
      if (entry.type !== 'File' || !isPipelinePath(path) || entry.size > maxFileBytes) {
        entry.resume();
        return;
      }
      // A gzipped upload can hold far more than it weighs: count from the headers before keeping any content.
      count += 1;
      total += entry.size;
      if (count > maxFiles || total > maxTotalBytes) {
        entry.resume();
        return;
      }
      const chunks: Buffer[] = [];
      entry.on('data', (c: Buffer) => chunks.push(c));
      entry.on('end', () => files.push({ path, text: Buffer.concat(chunks).toString('utf8') }));
    },
  });
  if (count > maxFiles || total > maxTotalBytes) {
    const what = count > maxFiles ? `${count} pipeline files; at most ${maxFiles} are read` : `${total} bytes of pipeline files; at most ${maxTotalBytes / 1024 / 1024} MiB together are read`;
    throw new SlipwayError('invalid_input', `the upload has ${what}`, { hint: PIPELINE_SELECTION.hint });
  }
  return files.sort((a, b) => a.path.localeCompare(b.path));
}
