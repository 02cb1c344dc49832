// The git port on the real git binary: one bare repository per app under a root folder (`<root>/<app>.git`).

import { mkdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { SlipwayError } from '../../core/errors.js';
import type { CommitInfo, FileSelection, GitHttpRequest, GitPort, RemoteFetch, SourceFile } from '../../core/ports/git.js';
import type { Secret } from '../../core/secret.js';
import { archiveStream } from './archive.js';
import { argv } from './argv.js';
import { parseCommitLog, parseTreeListing, selectWithinLimits } from './convert.js';
import { git, gitOrNull, gitSucceeds } from './exec.js';
import { writeHook } from './hook.js';
import { serveGit } from './http-backend.js';
import { fetchRemote, probeRemote } from './remote.js';

/** Bigger listings of pipeline folders are refused, not read: see readFiles. */
const MAX_LISTING_BYTES = 4 * 1024 * 1024;

export class GitRepos implements GitPort {
  constructor(readonly root: string) {}

  dirOf(app: string): string {
    return join(this.root, `${app}.git`);
  }

  /** Creates the bare repository if missing and (re)writes its hook; idempotent. */
  async ensure(app: string): Promise<void> {
    const dir = this.dirOf(app);
    if (!(await exists(join(dir, 'HEAD')))) {
      await mkdir(this.root, { recursive: true });
      await git(argv.init(dir));
      await git(argv.acceptPushes(dir));
    }
    await writeHook(dir);
  }

  async remove(app: string): Promise<void> {
    await rm(this.dirOf(app), { recursive: true, force: true });
  }

  serveHttp(app: string, req: GitHttpRequest): Promise<Response> {
    return serveGit(this.root, app, req);
  }

  fetch(app: string, req: RemoteFetch): Promise<void> {
    return fetchRemote(this.dirOf(app), req);
  }

  probe(url: string, token: Secret | null): Promise<void> {
    return probeRemote(url, token);
  }

  async resolveCommit(app: string, revision: string): Promise<string> {
    const args = argv.resolveCommit(this.dirOf(app), revision);
    const commit = await gitOrNull(args);
    if (!commit) throw new SlipwayError('not_found', `commit ${revision} is not in the repository of ${app}`);
    return commit;
  }

  async branchHead(app: string, branch: string): Promise<string | null> {
    return (await gitOrNull(argv.branchHead(this.dirOf(app), branch))) || null;
  }

  hasFile(app: string, commit: string, path: string): Promise<boolean> {
    return gitSucceeds(argv.hasFile(this.dirOf(app), commit, path));
  }

  /** Sizes come from the listing, so a selection over its limits is refused before a byte of content is read. */
  async readFiles(app: string, commit: string, selection: FileSelection): Promise<SourceFile[]> {
    const dir = this.dirOf(app);
    const listing = await git(argv.listTree(dir, commit, selection.paths), { maxBuffer: MAX_LISTING_BYTES }).catch((err: unknown) => {
      if ((err as { code?: unknown }).code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') {
        throw new SlipwayError('invalid_input', `commit ${commit.slice(0, 12)} lists more than ${MAX_LISTING_BYTES / 1024 / 1024} MiB of paths where ${selection.what} are kept`, { hint: selection.hint, cause: err });
      }
      throw new SlipwayError('not_found', `commit ${commit.slice(0, 12)} is not in the repository of ${app}`, { cause: err });
    });
    const files: SourceFile[] = [];
    for (const entry of selectWithinLimits(parseTreeListing(listing), selection, commit)) {
      const text = await git(argv.readBlob(dir, entry.object), { maxBuffer: (entry.size ?? 0) + 1024 });
      files.push({ path: entry.path, text });
    }
    return files;
  }

  async changedFiles(app: string, before: string | null, after: string): Promise<string[] | null> {
    if (!before || /^0+$/.test(before)) return null;
    // `commit^` of a root commit does not exist: unknown, so path filters match.
    try {
      return (await git(argv.changedFiles(this.dirOf(app), before, after))).split('\0').filter(Boolean);
    } catch {
      return null;
    }
  }

  async commitInfo(app: string, commit: string): Promise<CommitInfo> {
    const dir = this.dirOf(app);
    const log = await git(argv.commitLog(dir, commit));
    return parseCommitLog(log, await gitOrNull(argv.describe(dir, commit)));
  }

  archive(app: string, commit: string): Readable {
    return archiveStream(this.dirOf(app), commit);
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false);
}
