// The pipeline file read into types: what the readers produce from YAML nodes, the lint rules check and the
// compiler turns into a RunPlan. Dialect differences are settled here, so later stages see one shape.

import type { BuildSettings, DeploySettings, NotifySettings, ResourceLimits, RunEvent, SourceLocation } from '../core/plan.js';
import type { Dialect } from './source.js';

export interface Located<T> {
  readonly value: T;
  readonly loc: SourceLocation;
}

/** A string filter: runs when the value matches an include glob (or there are none) and no exclude glob. */
export interface GlobFilter {
  readonly field: 'branch' | 'ref' | 'tag' | 'target' | 'cron';
  readonly include: readonly string[];
  readonly exclude: readonly string[];
  readonly loc: SourceLocation;
}

export interface EventFilter {
  readonly field: 'event';
  readonly include: readonly RunEvent[];
  readonly exclude: readonly RunEvent[];
  /** As written, for skip messages ("event push is not one of [tag]"). */
  readonly written: readonly string[];
  readonly loc: SourceLocation;
}

export interface PathFilter {
  readonly field: 'path';
  readonly include: readonly string[];
  readonly exclude: readonly string[];
  /** Woodpecker: a commit message containing this text runs the step whatever changed. */
  readonly ignoreMessage: string | null;
  /** Whether an empty change set (no files) matches. */
  readonly onEmpty: boolean;
  readonly loc: SourceLocation;
}

export interface MatrixFilter {
  readonly field: 'matrix';
  readonly include: Readonly<Record<string, string>>;
  readonly exclude: Readonly<Record<string, string>>;
  readonly loc: SourceLocation;
}

export type Filter = GlobFilter | EventFilter | PathFilter | MatrixFilter;

/** One `when` condition: every filter must match (AND). */
export interface Condition {
  readonly filters: readonly Filter[];
  /** `status:` as written; null when absent (then only on success). */
  readonly status: readonly ('success' | 'failure')[] | null;
  readonly loc: SourceLocation;
}

/** A `when`/`trigger`: runs when any condition matches (OR); no conditions = always. */
export interface When {
  readonly conditions: readonly Condition[];
}

export type EnvValue =
  | { readonly kind: 'plain'; readonly value: string }
  | { readonly kind: 'secret'; readonly secret: string; readonly loc: SourceLocation };

export interface EnvEntry {
  readonly name: string;
  readonly value: EnvValue;
}

/** A plugin setting: plain data (encoded like Drone does) or a secret reference. */
export interface Setting {
  readonly key: string;
  readonly value: { readonly kind: 'data'; readonly data: unknown } | { readonly kind: 'secret'; readonly secret: string; readonly loc: SourceLocation };
}

export type Builtin =
  | { readonly kind: 'build'; readonly build: BuildSettings }
  | { readonly kind: 'push' }
  | { readonly kind: 'deploy'; readonly deploy: DeploySettings }
  | { readonly kind: 'notify'; readonly notify: NotifySettings };

export interface StepModel {
  readonly name: string;
  readonly nameLoc: SourceLocation;
  readonly loc: SourceLocation;
  readonly image: Located<string> | null;
  readonly builtin: Builtin | null;
  readonly commands: readonly string[];
  readonly entrypoint: readonly string[] | null;
  readonly environment: readonly EnvEntry[];
  /** null = no `settings` key. */
  readonly settings: readonly Setting[] | null;
  readonly when: When;
  /** null = no `depends_on` key (which decides between sequential and graph ordering). */
  readonly dependsOn: readonly Located<string>[] | null;
  /** Woodpecker's legacy parallel groups. */
  readonly group: string | null;
  readonly detach: boolean;
  readonly failure: 'fail' | 'ignore';
  readonly timeoutSeconds: number | null;
  readonly retry: number;
  readonly pull: 'always' | 'if-not-exists' | 'never';
  readonly caches: readonly Located<string>[];
  readonly limits: ResourceLimits | null;
}

export interface ServiceModel {
  readonly name: string;
  readonly nameLoc: SourceLocation;
  readonly loc: SourceLocation;
  readonly image: Located<string> | null;
  readonly commands: readonly string[];
  readonly entrypoint: readonly string[] | null;
  readonly environment: readonly EnvEntry[];
  readonly when: When;
  readonly limits: ResourceLimits | null;
}

export interface MatrixModel {
  /** Axis name → values, in file order; empty when the matrix lists combinations with `include`. */
  readonly axes: readonly (readonly [string, readonly string[]])[];
  readonly include: readonly Readonly<Record<string, string>>[];
  readonly loc: SourceLocation;
}

export interface PipelineModel {
  readonly name: string;
  readonly nameLoc: SourceLocation;
  readonly file: string;
  readonly dialect: Dialect;
  readonly loc: SourceLocation;
  readonly steps: readonly StepModel[];
  readonly services: readonly ServiceModel[];
  readonly when: When;
  /** Woodpecker's workflow-level `runs_on`: how its dependencies must have ended; null when absent. */
  readonly runsOn: readonly ('success' | 'failure')[] | null;
  readonly dependsOn: readonly Located<string>[];
  readonly matrix: MatrixModel | null;
  /** Absolute path inside every container. */
  readonly workspace: string;
  /** Pipeline-level environment (Drone, Slipway), given to every step and service. */
  readonly environment: readonly EnvEntry[];
  /** Drone's image_pull_secrets: secrets holding a Docker config JSON with registry logins for pulling images. */
  readonly pullSecrets: readonly Located<string>[];
}

export const ALWAYS: When = { conditions: [] };
