// Where a run's source comes from: a commit in the app's git repository or an uploaded tarball kept on disk.

import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as tar from 'tar';
import { SlipwayError } from '../core/errors.js';
import type { CommitInfo, GitPort } from '../core/ports/git.js';
import type { Run } from '../core/types.js';
import { pipelineFilesFromGit, pipelineFilesFromTar, type SourceFile } from './pipeline-files.js';

const MAX_UPLOAD_BYTES = 512 * 1024 * 1024;

export class RunSources {
  constructor(
    private readonly git: GitPort,
    private readonly uploadsDir: string,
  ) {}

  /** Stores an upload (gzipped tar) under its sha256 and checks it can be built. Returns the sha256 hex. */
  async saveUpload(body: Readable): Promise<string> {
    await mkdir(this.uploadsDir, { recursive: true });
    const tmp = join(this.uploadsDir, `.incoming-${randomBytes(8).toString('hex')}`);
    const hash = createHash('sha256');
    let size = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        size += chunk.length;
        if (size > MAX_UPLOAD_BYTES) return done(new SlipwayError('invalid_input', 'upload is larger than 512 MiB', {
          hint: 'leave build outputs and dependencies out of the directory (e.g. node_modules); add a .dockerignore',
        }));
        hash.update(chunk);
        done(null, chunk);
      },
    });
    try {
      await pipeline(body, meter, createWriteStream(tmp, { mode: 0o600 }));
      const digest = hash.digest('hex');
      await assertDockerfileInTar(tmp);
      await rename(tmp, this.uploadPath(digest));
      return digest;
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
  }

  /** Checks the Dockerfile exists before anything is built, to give a clear error. */
  async assertBuildable(run: Run): Promise<void> {
    if (run.source === 'git' && !(await this.git.hasFile(run.app, run.commit, 'Dockerfile'))) {
      throw noDockerfile(`commit ${run.commit.slice(0, 12)}`);
    }
  }

  /** The build context as a tar stream; it ends only once git archive has exited cleanly, and fails with git's reason. */
  open(run: Run): Readable {
    if (run.source === 'upload') return createReadStream(this.uploadPath(run.commit));
    return this.git.archive(run.app, run.commit);
  }

  /** The commit's author, message and describe; null for a source that is not a commit. */
  async commitInfo(run: Run): Promise<CommitInfo | null> {
    return run.source === 'git' ? this.git.commitInfo(run.app, run.commit) : null;
  }

  /** Files changed by the commit (against its first parent); null when unknown: path filters then match. */
  async changedFiles(run: Run): Promise<string[] | null> {
    return run.source === 'git' ? this.git.changedFiles(run.app, `${run.commit}^`, run.commit) : null;
  }

  /** The run's pipeline files (empty when it has none: the default build → push → deploy applies). */
  async pipelineFiles(run: Run): Promise<SourceFile[]> {
    if (run.source === 'upload') return pipelineFilesFromTar(this.uploadPath(run.commit));
    if (run.source === 'git') return pipelineFilesFromGit(this.git, run.app, run.commit);
    return [];
  }

  private uploadPath(digest: string): string {
    if (!/^[0-9a-f]{64}$/.test(digest)) throw new SlipwayError('invalid_input', 'malformed upload id');
    return join(this.uploadsDir, `${digest}.tar.gz`);
  }
}

async function assertDockerfileInTar(file: string): Promise<void> {
  let found = false;
  try {
    await assertArchiveMagic(file);
    await tar.t({
      file,
      onReadEntry: (entry) => {
        if (entry.path === 'Dockerfile' || entry.path === './Dockerfile') found = true;
      },
    });
  } catch (err) {
    throw new SlipwayError('invalid_input', `the upload is not a gzipped tar archive: ${(err as Error).message}`, {
      hint: 'send the directory with `slipway deploy <dir> --app <name>`, or a .tar.gz made with `tar -czf`',
      cause: err,
    });
  }
  if (!found) throw noDockerfile('the uploaded directory');
}

/** gzip (1f 8b) or a plain tar ("ustar" at 257); tar.t alone reads anything else as an empty archive. */
async function assertArchiveMagic(file: string): Promise<void> {
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(262);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    const gzip = bytesRead >= 2 && head[0] === 0x1f && head[1] === 0x8b;
    const plainTar = bytesRead >= 262 && head.subarray(257, 262).toString('latin1') === 'ustar';
    if (!gzip && !plainTar) throw new Error('unrecognised archive format');
  } finally {
    await handle.close();
  }
}

function noDockerfile(where: string): SlipwayError {
  return new SlipwayError('invalid_input', `no Dockerfile at the top of ${where}`, {
    field: 'Dockerfile',
    hint: 'add a Dockerfile to the root of the repository (or directory) that builds your app, then deploy again',
  });
}

export function readableFromWeb(body: ReadableStream<Uint8Array> | null): Readable {
  return body ? Readable.fromWeb(body as import('node:stream/web').ReadableStream) : Readable.from([]);
}
