// The pipeline source of a local directory (for `slipway lint` and `slipway exec`): the files a push would bring, or one given file.

import { open, readdir, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { SlipwayError } from '../../core/errors.js';
import { dialectOf, discoverPipelines } from '../../pipeline/index.js';
import { guessDialect } from '../../pipeline/discover.js';
import { MAX_FILE_BYTES } from '../../yaml/limits.js';
import type { Dialect, PipelineSource, RepoFile } from '../../pipeline/index.js';
import { isPipelinePath } from '../../trigger/pipeline-files.js';

/** Top-level files and folders that can hold pipelines, in discoverPipelines' precedence order. */
const TOP_FILES = ['.slipway.yml', '.slipway.yaml', '.woodpecker.yml', '.woodpecker.yaml', '.drone.yml', '.drone.yaml'];
const FOLDERS = ['.slipway', '.woodpecker'];

/** Every pipeline file of `dir` (paths relative to it, `/`-separated), sorted; [] when there is none. */
export async function readPipelineFiles(dir: string): Promise<RepoFile[]> {
  const paths: string[] = [];
  for (const name of TOP_FILES) if (await isFile(join(dir, name))) paths.push(name);
  for (const folder of FOLDERS) {
    const names = await readdir(join(dir, folder)).catch(() => [] as string[]);
    for (const name of names) {
      const path = `${folder}/${name}`;
      if (isPipelinePath(path) && (await isFile(join(dir, folder, name)))) paths.push(path);
    }
  }
  const files: RepoFile[] = [];
  for (const path of paths.sort()) files.push({ path, text: await readText(join(dir, path), path) });
  return files;
}

/** The source a push of `dir` would run: discoverPipelines over its pipeline files; null when there are none. */
export async function discoverLocal(dir: string): Promise<PipelineSource | null> {
  return discoverPipelines(await readPipelineFiles(dir));
}

export interface GivenFile {
  readonly file: RepoFile;
  readonly dialect: Dialect;
}

/**
 * One file given on the command line, relative to `cwd`: its path as shown in findings (relative when inside
 * `cwd`, so `.woodpecker/test.yml` is recognised as a folder workflow), and its dialect from the name or content.
 */
export async function readGivenFile(cwd: string, file: string): Promise<GivenFile> {
  const full = resolve(cwd, file);
  const rel = relative(cwd, full);
  const path = rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel.split('\\').join('/') : full;
  if (!(await isFile(full))) {
    throw new SlipwayError('invalid_input', `no such file: ${file}`, { field: 'file', hint: 'give the path of a pipeline file, e.g. .slipway.yml' });
  }
  const text = await readText(full, path);
  return { file: { path, text }, dialect: dialectOf(path) ?? guessDialect(text) };
}

/** A given file as the whole pipeline source (what `slipway exec <file>` runs). */
export function sourceOf(given: GivenFile): PipelineSource {
  return { dialect: given.dialect, files: [given.file], shadowed: [] };
}

/** `.slipway.yml (slipway)` or `.woodpecker/a.yml, .woodpecker/b.yml (woodpecker)`: what a command reads. */
export function describeSource(source: PipelineSource): string {
  return `${source.files.map((f) => f.path).join(', ')} (${source.dialect})`;
}

async function isFile(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isFile(),
    () => false,
  );
}

/**
 * The file as UTF-8, read only up to the size a pipeline file may have: a larger one (or one that grows while
 * read) is refused without reading it whole (issue 12: a 700 MB file was read before the 1 MB check).
 */
async function readText(full: string, shown: string): Promise<string> {
  const unreadable = (err: unknown) =>
    new SlipwayError('invalid_input', `cannot read ${shown}: ${(err as Error).message}`, { field: 'file', cause: err });
  const handle = await open(full, 'r').catch((err: unknown) => {
    throw unreadable(err);
  });
  try {
    const buffer = Buffer.alloc(MAX_FILE_BYTES + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length).catch((err: unknown) => {
        throw unreadable(err);
      });
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length > MAX_FILE_BYTES) {
        throw new SlipwayError('invalid_input', `${shown} is larger than ${MAX_FILE_BYTES} bytes`, {
          field: 'file',
          hint: 'a pipeline file is at most 1 MB; is this the right file?',
        });
      }
    }
    return buffer.toString('utf8', 0, length);
  } finally {
    await handle.close();
  }
}
