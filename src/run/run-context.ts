// What a run needs from the rest of Slipway, passed in by the composition root (api/platform.ts). Each consumer in
// run/ takes only the part it uses (a Pick of RunContext), so a test or a caller builds no more than that.

import type { Readable } from 'node:stream';
import type { EventBus } from '../core/events.js';
import type { EnginePort } from '../core/ports/engine.js';
import type { RegistryPort } from '../core/ports/registry.js';
import type { Sealer } from '../core/ports/sealer.js';
import type { StepBackend } from '../core/ports/step-backend.js';
import type { Store } from '../core/ports/store.js';
import type { Run } from '../core/types.js';
import type { OutboundPolicy } from '../tell/outbound.js';
import type { RepoFile } from '../pipeline/source.js';
import type { Cancellations } from './cancellations.js';
import type { DeployLock } from './deploy-lock.js';
import type { ServiceDefinition } from '../core/ports/engine.js';

/** A run's source: the commit of the app's repository, or the uploaded tarball (trigger/sources.ts). */
export interface RunSource {
  /** The source as a tar stream (the build context without a workspace). */
  open(run: Run): Readable;
  /** Fails with a clear error when the source has no Dockerfile at its top. */
  assertBuildable(run: Run): Promise<void>;
  /** The pipeline files of the source (.slipway.yml, .woodpecker/, .drone.yml, …). */
  pipelineFiles(run: Run): Promise<readonly RepoFile[]>;
  /** Author, message and describe of a git run's commit; null for an upload. */
  commitInfo(run: Run): Promise<CommitInfo | null>;
  /** Files the commit changed against its first parent; null when unknown (path filters then match). */
  changedFiles(run: Run): Promise<string[] | null>;
}

export interface CommitInfo {
  readonly message: string;
  readonly author: string;
  /** `git describe --tags` of the commit; null when no tag is in its history. */
  readonly describe: string | null;
}

export interface RunContext {
  readonly store: Store;
  readonly bus: EventBus;
  readonly engine: EnginePort;
  readonly registry: RegistryPort;
  readonly sources: RunSource;
  readonly backend: StepBackend;
  readonly cancellations: Cancellations;
  readonly sealer: Sealer;
  readonly instance: string;
  readonly rolloutTimeoutMs: number;
  readonly httpsPort: number;
  /** Brings the edge's routes in line with the apps (called after a release goes live). */
  readonly syncRoutes: () => Promise<void>;
  /** Refuses a stack whose routed services take a domain already used (edge/route-sync.ts); absent: not checked. */
  readonly checkStackDomains?: (stack: string, services: readonly ServiceDefinition[]) => Promise<void>;
  /** One deploy per app at a time, shared by every run of this server (run/deploy-lock.ts). */
  readonly deploys: DeployLock;
  /** Which private hosts the server may send requests to (notify steps): SLIPWAY_OUTBOUND_ALLOW. */
  readonly outbound: OutboundPolicy;
}
