// The step backend port: runs the containers of one pipeline (services, steps) around a shared workspace.
//
// Protocol (per pipeline of a run):
//   setup → (startService …) → (startStep → wait) … → teardown, teardown always called, also after errors.
// - setup creates the workspace (a volume holding the source at plan.workspace) and an isolated network;
//   with `reuseWorkspace` it attaches to the workspace kept from an earlier run instead (restart from a
//   failed step) and does not extract the source again.
// - startService starts a sidecar reachable from steps by its name; services are stopped by teardown.
// - startStep starts one container; stdout/stderr reach onOutput as raw chunks, in order, as they come.
//   Steps of one pipeline may run concurrently (independent branches of depends_on).
// - wait resolves with the exit code when the container ends; aborting the signal kills the container
//   (timeout, cancel) and resolves with { exitCode: 137, killed: true }.
// - teardown removes containers and the network; the workspace volume is removed unless keepWorkspace
//   (a failed run keeps it so it can be restarted from the failed step). Idempotent.
// - workspaceExport is an optional capability, declared: null when the backend cannot read a workspace back (the
//   built-in build then builds from the source, not from what earlier steps left). exportWorkspace streams a folder
//   of a workspace volume as a tar rooted at that folder; a path leaving the workspace, or not in it, is
//   SlipwayError invalid_input. `image` is any image present on the host (used only to reach the volume).

import type { Readable } from 'node:stream';
import type { CacheMount, PipelinePlan, ServicePlan, StepPlan } from '../plan.js';
import type { RegistryCredentials } from './registry.js';

export interface WorkspaceRef {
  /** Opaque to callers; e.g. the volume and network names. */
  readonly id: string;
  readonly volume: string;
  readonly network: string;
}

export interface SetupRequest {
  /** Prefix of every Docker object name (the Slipway instance), so instances on one engine never collide. */
  readonly namespace: string;
  readonly app: string;
  readonly runId: number;
  readonly pipeline: PipelinePlan;
  /** Tar stream of the source; not read when reuseWorkspace is set. */
  readonly source: () => Readable;
  readonly reuseWorkspace: string | null;
  /** Logins for pulling the pipeline's images (image_pull_secrets); each image uses its registry's one. */
  readonly pullLogins?: readonly RegistryCredentials[];
  /** No way out of the network at all (pull requests from forks); steps still reach the pipeline's services. */
  readonly internalNetwork?: boolean;
}

export interface StartRequest {
  /** As in SetupRequest: cache volumes are named with it. */
  readonly namespace: string;
  readonly workspace: WorkspaceRef;
  readonly pipeline: PipelinePlan;
  /** Complete environment, secrets resolved (the caller masks their values in logs). */
  readonly environment: Readonly<Record<string, string>>;
  /** Named per-app volumes mounted at their paths (kept between runs). */
  readonly caches: readonly CacheMount[];
  readonly app: string;
  readonly onOutput: (chunk: string) => void;
  /** As in SetupRequest. */
  readonly pullLogins?: readonly RegistryCredentials[];
}

export interface StepHandle {
  readonly id: string;
}

export interface StepExit {
  readonly exitCode: number;
  readonly killed: boolean;
}

export interface WorkspaceExporter {
  /** A tar stream of a folder of the workspace (the build context after earlier steps ran). */
  exportWorkspace(volume: string, path: string, image: string): Promise<Readable>;
}

export interface StepBackend {
  /** Reading a workspace back, or null when this backend cannot. */
  readonly workspaceExport: WorkspaceExporter | null;
  setup(request: SetupRequest): Promise<WorkspaceRef>;
  startService(service: ServicePlan, request: StartRequest): Promise<StepHandle>;
  startStep(step: StepPlan, request: StartRequest): Promise<StepHandle>;
  wait(handle: StepHandle, signal: AbortSignal): Promise<StepExit>;
  teardown(workspace: WorkspaceRef, options: { keepWorkspace: boolean }): Promise<void>;
  /** Removes a workspace kept by an earlier teardown (retention). */
  removeWorkspace(volume: string): Promise<void>;
}
