// An in-memory GitPort for unit tests: commits are file maps, refs a map; scriptable remotes. It checks names with
// the same argv rules as real git and passes the same conformance suite (git.conformance.ts). Differences kept on
// purpose: no rename detection in changedFiles, no HTTP.

import { createHash } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';
import { Header } from 'tar';
import { SlipwayError } from '../../core/errors.js';
import { GIT_URL_SCHEMES, type CommitInfo, type FileSelection, type GitPort, type RemoteFetch, type SourceFile } from '../../core/ports/git.js';
import type { Secret } from '../../core/secret.js';
import { failWhenHeard } from './archive.js';
import { argv, branchName, revision } from './argv.js';
import { selectWithinLimits, type TreeEntry } from './convert.js';

export interface FakeCommit {
  readonly id: string;
  readonly parent: string | null;
  readonly files: ReadonlyMap<string, string>;
  readonly author: string;
  readonly message: string;
}

interface Remote {
  readonly source: FakeGit;
  readonly app: string;
  readonly token: string | null;
}

interface Repo {
  readonly commits: Map<string, FakeCommit>;
  readonly refs: Map<string, string>;
}

export class FakeGit implements GitPort {
  readonly #repos = new Map<string, Repo>();
  /** Remote URL → the fake repository behind it and the token it wants; a URL not here cannot be read. */
  readonly #remotes = new Map<string, Remote>();

  /** Test helper: `url` serves `app` of `source` (another FakeGit, or this one) to whoever presents `token`. */
  addRemote(url: string, source: FakeGit, app: string, token: string | null = null): void {
    this.#remotes.set(url, { source, app, token });
  }

  /** Test helper: commits files (null removes one) on top of `branch`; returns the commit id. */
  commit(app: string, branch: string, files: Readonly<Record<string, string | null>>, message = 'change', author = 'Test Author <author@slipway.test>'): FakeCommit {
    const repo = this.#repo(app);
    const parent = repo.refs.get(`refs/heads/${branchName(branch)}`) ?? null;
    const next = new Map(parent === null ? [] : repo.commits.get(parent)!.files);
    for (const [path, text] of Object.entries(files)) {
      if (text === null) next.delete(path);
      else next.set(path, text);
    }
    const id = createHash('sha1').update(JSON.stringify([parent, [...next], message, repo.commits.size])).digest('hex');
    const commit = { id, parent, files: next, author, message: message.trim() };
    repo.commits.set(id, commit);
    repo.refs.set(`refs/heads/${branch}`, id);
    return commit;
  }

  /** Test helper: a tag on a commit. */
  tag(app: string, name: string, commit: string): void {
    this.#repo(app).refs.set(`refs/tags/${name}`, commit);
  }

  async ensure(app: string): Promise<void> {
    if (!this.#repos.has(app)) this.#repos.set(app, { commits: new Map(), refs: new Map() });
  }

  async remove(app: string): Promise<void> {
    this.#repos.delete(app);
  }

  async serveHttp(): Promise<Response> {
    return new Response('the fake git does not serve HTTP', { status: 501 });
  }

  async fetch(app: string, req: RemoteFetch): Promise<void> {
    argv.fetch('', req.url, req.remoteRef, req.localRef);
    const remote = this.#remote(req.url, req.token);
    const from = remote.source.#repo(remote.app);
    const head = from.refs.get(req.remoteRef);
    if (head === undefined) throw new SlipwayError('dependency', `could not fetch ${req.remoteRef} from ${req.url}: no such ref`, { field: 'repo' });
    const repo = this.#repo(app);
    for (let id: string | null = head; id !== null; id = from.commits.get(id)?.parent ?? null) repo.commits.set(id, from.commits.get(id)!);
    repo.refs.set(req.localRef, head);
    // As real git (remote.ts): a replayed or late delivery names an older commit, and only the head runs.
    if (head !== req.commit.toLowerCase()) {
      throw new SlipwayError('conflict', `commit ${req.commit.slice(0, 12)} is not the head of ${req.remoteRef} (${head.slice(0, 12)} is)`);
    }
    if (!repo.commits.has(req.commit)) {
      throw new SlipwayError('conflict', `commit ${req.commit.slice(0, 12)} is not in ${req.remoteRef} of ${req.url} any more`);
    }
  }

  async probe(url: string, token: Secret | null): Promise<void> {
    this.#remote(url, token);
  }

  async resolveCommit(app: string, rev: string): Promise<string> {
    const found = this.#commit(app, rev);
    if (!found) throw new SlipwayError('not_found', `commit ${rev} is not in the repository of ${app}`);
    return found.id;
  }

  async branchHead(app: string, branch: string): Promise<string | null> {
    return this.#repos.get(app)?.refs.get(`refs/heads/${branchName(branch)}`) ?? null;
  }

  async hasFile(app: string, commit: string, path: string): Promise<boolean> {
    return this.#commit(app, commit)?.files.has(path) ?? false;
  }

  async readFiles(app: string, commit: string, selection: FileSelection): Promise<SourceFile[]> {
    const found = this.#commit(app, commit);
    if (!found) throw new SlipwayError('not_found', `commit ${commit.slice(0, 12)} is not in the repository of ${app}`);
    const entries: TreeEntry[] = [];
    for (const [path, text] of found.files) {
      const listed = selection.paths.some((p) => (p.endsWith('/') ? path.startsWith(p) && !path.slice(p.length).includes('/') : path === p));
      if (listed) entries.push({ mode: '100644', type: 'blob', object: path, size: Buffer.byteLength(text), path });
    }
    entries.sort((a, b) => Buffer.compare(Buffer.from(a.path), Buffer.from(b.path)));
    return selectWithinLimits(entries, selection, found.id).map((e) => ({ path: e.path, text: found.files.get(e.path)! }));
  }

  async changedFiles(app: string, before: string | null, after: string): Promise<string[] | null> {
    if (!before || /^0+$/.test(before)) return null;
    const [from, to] = [this.#commit(app, before), this.#commit(app, after)];
    if (!from || !to) return null;
    const paths = new Set([...from.files.keys(), ...to.files.keys()]);
    return [...paths].filter((p) => from.files.get(p) !== to.files.get(p)).sort();
  }

  async commitInfo(app: string, commit: string): Promise<CommitInfo> {
    const found = this.#commit(app, commit);
    if (!found) throw new SlipwayError('not_found', `commit ${commit} is not in the repository of ${app}`);
    return { author: found.author, message: found.message, describe: this.#describe(app, found) };
  }

  archive(app: string, commit: string): Readable {
    const stream = new PassThrough();
    try {
      const found = this.#commit(app, commit);
      if (!found) throw new SlipwayError('internal', `git archive of ${commit.slice(0, 12)} failed: not a tree object`);
      const blocks: Buffer[] = [];
      for (const [path, text] of found.files) {
        const body = Buffer.from(text);
        const header = new Header({ path, mode: 0o644, size: body.length, mtime: new Date(0), type: 'File' });
        header.encode();
        blocks.push(header.block!, body, Buffer.alloc((512 - (body.length % 512)) % 512));
      }
      blocks.push(Buffer.alloc(1024));
      return Readable.from(blocks);
    } catch (err) {
      failWhenHeard(stream, err as Error);
      return stream;
    }
  }

  #repo(app: string): Repo {
    const repo = this.#repos.get(app);
    if (!repo) throw new SlipwayError('not_found', `no repository for ${app}`);
    return repo;
  }

  /** A commit id, a ref, or either with one `^` (first parent); undefined when unknown. */
  #commit(app: string, rev: string): FakeCommit | undefined {
    const repo = this.#repos.get(app);
    const parentOf = revision(rev).endsWith('^');
    const base = parentOf ? rev.slice(0, -1) : rev;
    const id = repo?.refs.get(base) ?? repo?.refs.get(`refs/heads/${base}`) ?? repo?.refs.get(`refs/tags/${base}`) ?? base;
    const found = repo?.commits.get(id);
    if (!parentOf) return found;
    return found?.parent ? repo?.commits.get(found.parent) : undefined;
  }

  #describe(app: string, commit: FakeCommit): string | null {
    const repo = this.#repo(app);
    const tags = new Map([...repo.refs].filter(([ref]) => ref.startsWith('refs/tags/')).map(([ref, id]) => [id, ref.slice('refs/tags/'.length)]));
    let distance = 0;
    for (let c: FakeCommit | undefined = commit; c; c = c.parent === null ? undefined : repo.commits.get(c.parent), distance += 1) {
      const tag = tags.get(c.id);
      if (tag !== undefined) return distance === 0 ? tag : `${tag}-${distance}-g${commit.id.slice(0, 7)}`;
    }
    return null;
  }

  #remote(url: string, token: Secret | null): Remote {
    const scheme = /^([a-z]+):/.exec(url)?.[1] ?? '';
    const remote = this.#remotes.get(url);
    if (!(GIT_URL_SCHEMES as readonly string[]).includes(scheme) || !remote || remote.token !== (token?.reveal() ?? null)) {
      throw new SlipwayError('dependency', `could not read from ${url}`, { field: 'repo' });
    }
    return remote;
  }
}
