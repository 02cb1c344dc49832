// What the pipeline stage reads: the repository files the caller found, and which CI dialect they are written in.

import type { RepoFile } from '../yaml/file.js';

export type { RepoFile };

export type Dialect = 'slipway' | 'woodpecker' | 'drone';

export interface PipelineSource {
  readonly dialect: Dialect;
  /** One file, or the files of a `.slipway/` or `.woodpecker/` folder sorted by path. */
  readonly files: readonly RepoFile[];
  /** Pipeline files present but not used because one earlier in the precedence order exists. */
  readonly shadowed: readonly string[];
}

export interface LintOptions {
  /** Names of the app's secrets; null when unknown (e.g. `slipway lint` offline): then not checked. */
  readonly knownSecrets: readonly string[] | null;
}
