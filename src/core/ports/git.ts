// The git port: what Slipway needs from git — one bare repository per app, filled by pushes and forge fetches,
// read by runs (files, changed paths, commit info, the build context).
//
// Protocol:
// - ensure(app) comes first: it creates the app's bare repository (with Slipway's post-receive hook) when missing
//   and rewrites the hook; idempotent, called again on every start and before every push. remove(app) deletes the
//   repository and is fine when it is gone. Every other call names an app whose repository was ensured.
// - Names are checked in the adapter, in one place, before git sees them: a branch must pass git's
//   check-ref-format rules (no `~ ^ : ? * [ \ @{ ..`, no leading `-`, …), a revision must not look like an option.
//   A malformed name is SlipwayError('invalid_input') with field `branch`/`ref`/`commit`; a well-formed name that
//   does not exist is null (branchHead) or not_found (resolveCommit), never a git usage error.
// - Reads (hasFile, resolveCommit, branchHead, readFiles, changedFiles, commitInfo, archive) never change the
//   repository and may run concurrently with each other and with receive/fetch of the same app.
// - readFiles checks the sizes git reports BEFORE reading any content and refuses (invalid_input naming the limit)
//   a selection with more files, a bigger file, or more bytes in total than its limits: a tiny pack can list one
//   big blob many times.
// - archive returns the commit as a tar stream at once. It keeps every byte until read, with backpressure, and
//   ends only once git exited cleanly; a failing archive fails the stream with git's reason, but only once the
//   reader listens for errors (never an uncaught error). Destroying the stream stops git.
// - fetch stores a ref of a remote URL in the app's repository and then checks the announced commit arrived
//   (conflict when it did not: force-pushed away). The token goes to git through its environment, never argv,
//   and never appears in an error. Only GIT_URL_SCHEMES are allowed; git never prompts. probe checks a URL can
//   be read with a token before anything is stored. Both fail with SlipwayError('dependency').
// - serveHttp answers one smart-HTTP request (clone, fetch, push) for an app's repository; the post-receive hook
//   reports pushes to the URL in hookEnv.

import type { Readable } from 'node:stream';
import type { Secret } from '../secret.js';

/** Protocols a remote URL may use; git's file and ext transports could read or run anything on this machine. */
export const GIT_URL_SCHEMES = ['https', 'http', 'ssh', 'git'] as const;

export interface SourceFile {
  readonly path: string;
  readonly text: string;
}

export interface CommitInfo {
  /** "Name <email>" of the author. */
  readonly author: string;
  readonly message: string;
  /** `git describe --tags`; null without a tag before the commit. */
  readonly describe: string | null;
}

export interface FileLimits {
  /** Most files the selection may hold. */
  readonly maxFiles: number;
  /** Largest single file, in bytes. */
  readonly maxFileBytes: number;
  /** Most bytes all selected files may hold together. */
  readonly maxTotalBytes: number;
}

export interface FileSelection {
  /** What the files are, for errors ("pipeline files"). */
  readonly what: string;
  /** Top-level files and folders (ending in `/`: their direct entries) to look at. */
  readonly paths: readonly string[];
  /** Which of the listed paths to read. */
  readonly accept: (path: string) => boolean;
  readonly limits: FileLimits;
  /** What the user can do when a limit is exceeded. */
  readonly hint: string;
}

export interface RemoteFetch {
  readonly url: string;
  readonly token: Secret | null;
  /** Ref on the remote, e.g. refs/heads/main or refs/pull/7/head. */
  readonly remoteRef: string;
  /** Where it is stored in the app's repository. */
  readonly localRef: string;
  /** The commit the remote announced; it must be in what was fetched. */
  readonly commit: string;
}

export interface GitHttpRequest {
  readonly request: Request;
  /** Path after /git/<app>.git, e.g. /info/refs or /git-receive-pack. */
  readonly rest: string;
  readonly remoteUser: string;
  /** Extra environment for the post-receive hook (server URL and per-process hook token). */
  readonly hookEnv: Readonly<Record<string, string>>;
}

export interface GitPort {
  ensure(app: string): Promise<void>;
  remove(app: string): Promise<void>;
  serveHttp(app: string, req: GitHttpRequest): Promise<Response>;
  fetch(app: string, req: RemoteFetch): Promise<void>;
  probe(url: string, token: Secret | null): Promise<void>;
  /** The full commit id; not_found when the repository does not have it. */
  resolveCommit(app: string, revision: string): Promise<string>;
  /** The commit at the head of a branch, or null when that branch was never pushed. */
  branchHead(app: string, branch: string): Promise<string | null>;
  /** Whether commit:path exists. */
  hasFile(app: string, commit: string, path: string): Promise<boolean>;
  readFiles(app: string, commit: string, selection: FileSelection): Promise<SourceFile[]>;
  /** Paths changed between two commits; null when unknown (no `before`, or it does not exist: a root commit). */
  changedFiles(app: string, before: string | null, after: string): Promise<string[] | null>;
  commitInfo(app: string, commit: string): Promise<CommitInfo>;
  archive(app: string, commit: string): Readable;
}
