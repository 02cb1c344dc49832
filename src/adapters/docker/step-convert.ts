// Pure mapping from a pipeline's steps and services to Docker container, volume and network options (no I/O).

import type Dockerode from 'dockerode';
import { SlipwayError } from '../../core/errors.js';
import type { PipelinePlan, ResourceLimits, ServicePlan, StepPlan } from '../../core/plan.js';
import type { StartRequest, WorkspaceRef } from '../../core/ports/step-backend.js';
import { LABELS, aliasOf, cacheVolumeName, containerName, labelsFor, runIdOf, stepBridgeName, type ContainerRole } from './step-names.js';
import { SCRIPT_COMMAND, SCRIPT_ENTRYPOINT, SCRIPT_ENV, encodeScript } from './step-script.js';

export interface ContainerLimits {
  readonly memoryBytes: number;
  readonly pidsLimit: number;
}

/** Enough for a webpack or a Gradle build; bounded so that one runaway step cannot take the host down. */
export const DEFAULT_LIMITS: ContainerLimits = { memoryBytes: 4 * 1024 ** 3, pidsLimit: 4096 };

/** What a container runs, whether step or service. */
interface Workload {
  readonly role: ContainerRole;
  readonly name: string;
  readonly image: string;
  readonly commands: readonly string[];
  readonly entrypoint: readonly string[] | null;
  /** What the pipeline asked for; the rest keeps the defaults. */
  readonly asked: ResourceLimits | null;
}

export function stepContainerOptions(step: StepPlan, request: StartRequest, suffix: string, limits = DEFAULT_LIMITS): Dockerode.ContainerCreateOptions {
  if (step.image === null) {
    throw new SlipwayError('internal', `step ${step.name} is a built-in ${step.kind} step: the run stage executes it, not a container`);
  }
  const work = { role: 'step' as const, name: step.name, image: step.image, commands: step.commands, entrypoint: step.entrypoint, asked: step.limits ?? null };
  return containerOptions(work, request, suffix, limits);
}

export function serviceContainerOptions(service: ServicePlan, request: StartRequest, suffix: string, limits = DEFAULT_LIMITS): Dockerode.ContainerCreateOptions {
  // Services never mount caches: two runs of one app would share a database's files.
  const uncached: StartRequest = { ...request, caches: [] };
  return containerOptions({ role: 'service', ...service, asked: service.limits ?? null }, uncached, suffix, limits);
}

function containerOptions(work: Workload, request: StartRequest, suffix: string, limits: ContainerLimits): Dockerode.ContainerCreateOptions {
  const { workspace, pipeline } = request;
  const env: Record<string, string> = { ...request.environment };
  const entrypoint = work.entrypoint !== null && work.entrypoint.length > 0 ? [...work.entrypoint] : null;
  // Like Woodpecker: with commands the script is in CI_SCRIPT even when the entrypoint is overridden (custom shells).
  if (work.commands.length > 0) env[SCRIPT_ENV] = encodeScript(work.commands);
  const run =
    entrypoint !== null
      ? { Entrypoint: entrypoint, Cmd: [] } // the image's Cmd would be arguments the override does not expect
      : work.commands.length > 0
        ? { Entrypoint: [...SCRIPT_ENTRYPOINT], Cmd: [SCRIPT_COMMAND] }
        : {}; // a plugin: the image's own entrypoint and command
  return {
    name: containerName(workspace, work.name, suffix),
    Image: work.image,
    ...run,
    Env: toEnvList(env),
    Labels: labelsFor(request.app, workspace, work.role, work.name),
    WorkingDir: pipeline.workspace,
    AttachStdout: true,
    AttachStderr: true,
    AttachStdin: false,
    OpenStdin: false,
    Tty: false,
    HostConfig: {
      NetworkMode: workspace.network,
      Mounts: mountsFor(request),
      Privileged: false,
      ...hostLimits(work.asked, limits),
      // Output reaches us through attach; the daemon's copy is only for `docker logs` while debugging, so bounded.
      LogConfig: { Type: 'json-file', Config: { 'max-size': '10m', 'max-file': '1' } },
    },
    NetworkingConfig: { EndpointsConfig: { [workspace.network]: { Aliases: [aliasOf(work.name)] } } },
  };
}

/** The pipeline's own limits where it gave them (Drone's mem_limit, cpu_* …), Slipway's defaults for the rest. */
function hostLimits(asked: ResourceLimits | null, defaults: ContainerLimits): Dockerode.HostConfig {
  const swap = asked?.memorySwapBytes;
  // memswap_limit alone: memory is capped at it too, since the engine refuses a swap limit below the memory limit.
  const memory = asked?.memoryBytes ?? (swap !== undefined && swap !== -1 ? Math.min(swap, defaults.memoryBytes) : defaults.memoryBytes);
  return {
    Memory: memory,
    // No swap on top unless asked: a step over its limit is killed, not slowed to a crawl.
    MemorySwap: swap ?? memory,
    PidsLimit: defaults.pidsLimit,
    ...(asked?.shmBytes === undefined ? {} : { ShmSize: asked.shmBytes }),
    ...(asked?.cpuShares === undefined ? {} : { CpuShares: asked.cpuShares }),
    ...(asked?.cpuPeriodMicros === undefined ? {} : { CpuPeriod: asked.cpuPeriodMicros }),
    ...(asked?.cpuQuotaMicros === undefined ? {} : { CpuQuota: asked.cpuQuotaMicros }),
    ...(asked?.cpuSet === undefined ? {} : { CpusetCpus: asked.cpuSet }),
  };
}

/** The workspace at pipeline.workspace and each cache at its path; volumes only, never a host path. */
export function mountsFor(request: Pick<StartRequest, 'workspace' | 'pipeline' | 'caches' | 'app' | 'namespace'>): Dockerode.MountSettings[] {
  const mounts: Dockerode.MountSettings[] = [{ Type: 'volume', Source: request.workspace.volume, Target: request.pipeline.workspace, ReadOnly: false }];
  for (const cache of request.caches) {
    if (!cache.path.startsWith('/')) {
      throw new SlipwayError('invalid_input', `cache ${cache.name} has a relative path ${cache.path}`, { field: 'caches', hint: 'give the absolute path inside the step container' });
    }
    if (mounts.some((m) => m.Target === cache.path)) {
      throw new SlipwayError('invalid_input', `cache ${cache.name} is mounted at ${cache.path}, which is already taken`, {
        field: 'caches',
        hint: 'give every cache its own path, outside the workspace path',
      });
    }
    mounts.push({
      Type: 'volume',
      Source: cacheVolumeName(request.namespace, request.app, cache.name),
      Target: cache.path,
      ReadOnly: false,
      // Applied when dockerd creates the volume on first use: retention finds caches by these labels.
      VolumeOptions: { NoCopy: false, Labels: { [LABELS.app]: request.app, [LABELS.cache]: cache.name }, DriverConfig: { Name: 'local', Options: {} } },
    });
  }
  return mounts;
}

/** A container that is created, never started: the target of putArchive, so the source lands in the volume. */
export function extractContainerOptions(image: string, app: string, workspace: WorkspaceRef, pipeline: PipelinePlan): Dockerode.ContainerCreateOptions {
  return {
    Image: image,
    // Never runs; only there because dockerd refuses to create a container of an image that has no command.
    Cmd: ['slipway-extract'],
    Labels: labelsFor(app, workspace, 'extract', pipeline.name),
    NetworkDisabled: true,
    HostConfig: { NetworkMode: 'none', Mounts: mountsFor({ namespace: '', workspace, pipeline, caches: [], app }) },
  };
}

export function workspaceVolumeOptions(app: string, workspace: WorkspaceRef): { Name: string; Labels: Record<string, string> } {
  return { Name: workspace.volume, Labels: { [LABELS.app]: app, [LABELS.run]: runIdOf(workspace), [LABELS.workspace]: workspace.id } };
}

/**
 * One network per pipeline run keeps runs apart from each other. Not internal, steps download dependencies, except
 * for pull requests from forks (`internal`): no way out at all. Its bridge name lets the step firewall (metadata and
 * the host's own addresses dropped) find it.
 */
export function runNetworkOptions(app: string, workspace: WorkspaceRef, internal = false): Dockerode.NetworkCreateOptions {
  return {
    Name: workspace.network,
    Driver: 'bridge',
    Internal: internal,
    Options: { 'com.docker.network.bridge.name': stepBridgeName(workspace.network) },
    CheckDuplicate: true,
    Labels: { [LABELS.app]: app, [LABELS.run]: runIdOf(workspace), [LABELS.workspace]: workspace.id },
  };
}

/** The image the source is extracted with: one already on the host if any, else the first (pulled then). */
export function imagesOf(pipeline: PipelinePlan): string[] {
  const steps = pipeline.steps.filter((s) => s.skip === null).map((s) => s.image);
  const images = [...steps, ...pipeline.services.map((s) => s.image)].filter((i): i is string => i !== null);
  return [...new Set(images)];
}

export function toEnvList(env: Readonly<Record<string, string>>): string[] {
  return Object.entries(env)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => {
      if (key === '' || key.includes('=') || key.includes('\0')) {
        throw new SlipwayError('invalid_input', `invalid environment variable name ${JSON.stringify(key)}`, { field: 'environment', hint: 'use names like MY_VAR' });
      }
      return `${key}=${value}`;
    });
}
