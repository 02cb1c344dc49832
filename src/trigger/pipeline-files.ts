// Reads the pipeline files (.slipway.yml, .slipway/, .woodpecker.yml, .woodpecker/, .drone.yml) of a run's source.

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import * as tar from 'tar';

const run = promisify(execFile);

export interface SourceFile {
  readonly path: string;
  readonly text: string;
}

const MAX_FILE_BYTES = 1024 * 1024;

/** Top-level pipeline files and the .yml/.yaml files directly inside the pipeline folders. */
export function isPipelinePath(path: string): boolean {
  const p = path.replace(/^\.\//, '');
  return /^\.(slipway|woodpecker|drone)\.ya?ml$/.test(p) || /^\.(slipway|woodpecker)\/[^/]+\.ya?ml$/.test(p);
}

export async function pipelineFilesFromGit(repoDir: string, commit: string): Promise<SourceFile[]> {
  const { stdout } = await run('git', ['-C', repoDir, 'ls-tree', '-r', '--name-only', commit, '--', '.slipway.yml', '.slipway.yaml', '.slipway', '.woodpecker.yml', '.woodpecker.yaml', '.woodpecker', '.drone.yml', '.drone.yaml']);
  const paths = stdout.split('\n').filter((p) => p !== '' && isPipelinePath(p));
  const files: SourceFile[] = [];
  for (const path of paths) {
    const { stdout: text } = await run('git', ['-C', repoDir, 'show', `${commit}:${path}`], { maxBuffer: MAX_FILE_BYTES * 2 });
    files.push({ path, text });
  }
  return files;
}

export async function pipelineFilesFromTar(file: string): Promise<SourceFile[]> {
  const files: SourceFile[] = [];
  await tar.t({
    file,
    onReadEntry: (entry) => {
      const path = entry.path.replace(/^\.\//, '');
      if (entry.type !== 'File' || !isPipelinePath(path) || entry.size > MAX_FILE_BYTES) {
        entry.resume();
        return;
      }
      const chunks: Buffer[] = [];
      entry.on('data', (c: Buffer) => chunks.push(c));
      entry.on('end', () => files.push({ path, text: Buffer.concat(chunks).toString('utf8') }));
    },
  });
  return files.sort((a, b) => a.path.localeCompare(b.path));
}

/** Changed files between two commits, for `when.path` filters; null when unknown (first push). */
export async function changedFiles(repoDir: string, before: string | null, after: string): Promise<string[] | null> {
  if (!before || /^0+$/.test(before)) return null;
  // `commit^` of a root commit does not exist: unknown, so path filters match.
  try {
    const { stdout } = await run('git', ['-C', repoDir, 'diff', '--name-only', before, after], { maxBuffer: 16 * 1024 * 1024 });
    return stdout.split('\n').filter(Boolean);
  } catch {
    return null;
  }
}

export async function commitInfo(repoDir: string, commit: string): Promise<{ message: string; author: string; describe: string | null }> {
  const { stdout } = await run('git', ['-C', repoDir, 'log', '-1', '--format=%an <%ae>%n%B', commit]);
  const [author = '', ...message] = stdout.split('\n');
  const describe = await run('git', ['-C', repoDir, 'describe', '--tags', commit]).then((r) => r.stdout.trim(), () => null);
  return { author, message: message.join('\n').trim(), describe };
}
