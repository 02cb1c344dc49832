// Where a run's source comes from: a commit in the app's git repository or an uploaded tarball kept on disk.

import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough, Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import * as tar from 'tar';
import { SlipwayError } from '../core/errors.js';
import type { CommitInfo, GitPort } from '../core/ports/git.js';
import type { Run } from '../core/types.js';
import { pipelineFilesFromGit, pipelineFilesFromTar, type SourceFile } from './pipeline-files.js';

export interface UploadLimits {
  /** Bytes received (the gzipped tar as sent). */
  readonly maxBytes: number;
  /** Bytes of the tar once unzipped: gzip packs a GiB of zeros into 1 MiB, so the received size alone says little. */
  readonly maxUnpackedBytes: number;
  /** Tar entries (headers): each costs the checks time, and a zero-byte file costs 512 bytes unpacked. */
  readonly maxEntries: number;
}

/** Source directories are tens of MiB; 2 GiB unpacked is 4× the received cap, a usual ratio for source. */
export const UPLOAD_LIMITS: UploadLimits = { maxBytes: 512 * 1024 * 1024, maxUnpackedBytes: 2 * 1024 * 1024 * 1024, maxEntries: 100_000 };

const SLIM_HINT = 'leave build outputs and dependencies out of the directory (e.g. node_modules, .git); add a .dockerignore';

export class RunSources {
  constructor(
    private readonly git: GitPort,
    private readonly uploadsDir: string,
    private readonly limits: UploadLimits = UPLOAD_LIMITS,
  ) {}

  /** Stores an upload (gzipped tar) under its sha256 and checks it can be built. Returns the sha256 hex. */
  async saveUpload(body: Readable): Promise<string> {
    await mkdir(this.uploadsDir, { recursive: true });
    const tmp = join(this.uploadsDir, `.incoming-${randomBytes(8).toString('hex')}`);
    const hash = createHash('sha256');
    let size = 0;
    const { maxBytes } = this.limits;
    const meter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        size += chunk.length;
        if (size > maxBytes) return done(new SlipwayError('too_large', `the upload is larger than ${sizeText(maxBytes)}`, { hint: SLIM_HINT }));
        hash.update(chunk);
        done(null, chunk);
      },
    });
    try {
      await pipeline(body, meter, createWriteStream(tmp, { mode: 0o600 }));
      const digest = hash.digest('hex');
      await checkUploadedTar(tmp, this.limits);
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

/**
 * Reads the whole archive once, as the build will, and checks it has a Dockerfile. The unzipped bytes and the entries
 * are counted as they are read and the check stops at the first one past its limit, so a small gzip bomb costs no
 * more than a large honest upload. Nothing but the counts is kept: an entry repeated many times costs time, not memory.
 */
async function checkUploadedTar(file: string, limits: UploadLimits): Promise<void> {
  let unpacked = 0;
  let entries = 0;
  let found = false;
  // Kept aside: pipeline() may reject with the abort of the earlier stages instead of the reason they were stopped.
  let refusal: SlipwayError | null = null;
  const refuse = (what: string) => {
    refusal = tooLarge(what);
    return refusal;
  };
  const parser = new tar.Parser({
    onReadEntry: (entry) => {
      entries += 1;
      if (entry.path === 'Dockerfile' || entry.path === './Dockerfile') found = true;
      entry.resume();
    },
  });
  const parsed = once(parser, 'end');
  try {
    const gzip = await assertArchiveMagic(file);
    await pipeline(createReadStream(file), gzip ? createGunzip() : new PassThrough(), async (source: AsyncIterable<Buffer>) => {
      for await (const chunk of source) {
        unpacked += chunk.length;
        if (unpacked > limits.maxUnpackedBytes) throw refuse(`unpacks to more than ${sizeText(limits.maxUnpackedBytes)}`);
        parser.write(chunk);
        if (entries > limits.maxEntries) throw refuse(`has more than ${limits.maxEntries} files and folders`);
      }
      parser.end();
      await parsed;
    });
  } catch (err) {
    parsed.catch(() => undefined);
    if (refusal !== null) throw refusal;
    if (err instanceof SlipwayError) throw err;
    throw new SlipwayError('invalid_input', `the upload is not a gzipped tar archive: ${(err as Error).message}`, {
      hint: 'send the directory with `slipway deploy <dir> --app <name>`, or a .tar.gz made with `tar -czf`',
      cause: err,
    });
  }
  if (!found) throw noDockerfile('the uploaded directory');
}

function tooLarge(what: string): SlipwayError {
  return new SlipwayError('too_large', `the upload ${what}`, { hint: SLIM_HINT });
}

function sizeText(bytes: number): string {
  const mib = bytes / 1024 / 1024;
  return Number.isInteger(mib) ? `${mib} MiB` : `${bytes} bytes`;
}

/** gzip (1f 8b: true) or a plain tar ("ustar" at 257: false); tar reads anything else as an empty archive. */
async function assertArchiveMagic(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(262);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    const gzip = bytesRead >= 2 && head[0] === 0x1f && head[1] === 0x8b;
    const plainTar = bytesRead >= 262 && head.subarray(257, 262).toString('latin1') === 'ustar';
    if (!gzip && !plainTar) throw new Error('unrecognised archive format');
    return gzip;
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
