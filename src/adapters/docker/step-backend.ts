// The Docker adapter of the step backend port: a volume and a bridge network per pipeline run, one container per
// step or service, all through the Engine API (dockerode). The mapping to Docker options is in step-convert.ts.

import { randomBytes } from 'node:crypto';
import type Dockerode from 'dockerode';
import type { Readable } from 'node:stream';
import { exportWorkspaceFolder } from './step-export.js';
import { SlipwayError, asSlipwayError } from '../../core/errors.js';
import type { ServicePlan, StepPlan } from '../../core/plan.js';
import type { RegistryCredentials } from '../../core/ports/registry.js';
import type { SetupRequest, StartRequest, StepBackend, StepExit, StepHandle, WorkspaceExporter, WorkspaceRef } from '../../core/ports/step-backend.js';
import { messageOf } from './docker-engine.js';
import { removeQuietly, startAttached, type AttachedContainer } from './step-container.js';
import {
  DEFAULT_LIMITS,
  extractContainerOptions,
  imagesOf,
  runNetworkOptions,
  serviceContainerOptions,
  stepContainerOptions,
  workspaceVolumeOptions,
  type ContainerLimits,
} from './step-convert.js';
import { StepImages, statusOf } from './step-images.js';
import { LABELS, workspaceRefFor } from './step-names.js';

export interface DockerStepBackendOptions {
  /** A pull that has not finished by then fails (default 10 minutes). */
  readonly pullTimeoutMs?: number;
  readonly limits?: ContainerLimits;
  /** How long wait lets output still in flight arrive after the container ended (default 10 s). */
  readonly drainTimeoutMs?: number;
}

const KILLED: StepExit = { exitCode: 137, killed: true };

export class DockerStepBackend implements StepBackend {
  readonly #images: StepImages;
  readonly #limits: ContainerLimits;
  readonly #drainTimeoutMs: number;
  /** Containers whose output is being forwarded, by id; wait delivers all of it before it resolves. */
  readonly #attached = new Map<string, AttachedContainer & { readonly memoryBytes: number }>();
  /**
   * By workspace, the image ID each image name resolved to at its first use in the pipeline: every later container
   * of that name runs the same image, so a tag moved meanwhile (a build naming an image `alpine`) is not picked up.
   */
  readonly #pinned = new Map<string, Map<string, Promise<string>>>();

  constructor(
    private readonly docker: Dockerode,
    options: DockerStepBackendOptions = {},
  ) {
    this.#images = new StepImages(docker, options.pullTimeoutMs ?? 600_000);
    this.#limits = options.limits ?? DEFAULT_LIMITS;
    this.#drainTimeoutMs = options.drainTimeoutMs ?? 10_000;
  }

  /** The workspace folder as a tar (for the built-in build step and a stack's compose file). */
  readonly workspaceExport: WorkspaceExporter = {
    exportWorkspace: (volume: string, path: string, image: string): Promise<Readable> => exportWorkspaceFolder(this.docker, volume, path, image),
  };

  async setup(request: SetupRequest): Promise<WorkspaceRef> {
    const reuse = request.reuseWorkspace;
    const ref = workspaceRefFor(request.namespace, request.app, request.runId, request.pipeline.name, reuse);
    if (reuse !== null && !(await this.#volumeExists(reuse))) {
      throw new SlipwayError('not_found', `the workspace ${reuse} kept from the earlier run no longer exists`, {
        hint: 'it was removed (retention or cleanup): run the pipeline again from the start',
      });
    }
    // A Slipway killed mid-run left this run's containers (a service, a step) running: start from nothing,
    // or a second "db" would answer on the same network alias next to the old one.
    if (reuse === null) await this.teardown(ref, { keepWorkspace: false });
    try {
      if (reuse === null) await this.docker.createVolume(workspaceVolumeOptions(request.app, ref));
      await this.#createNetwork(request.app, ref, request.internalNetwork === true);
      if (reuse === null) await this.#extract(request, ref);
      return ref;
    } catch (err) {
      // The caller has no WorkspaceRef to tear down when setup fails, so setup cleans up after itself.
      const e = asSlipwayError(err, 'dependency');
      await this.teardown(ref, { keepWorkspace: reuse !== null }).catch((cleanup: unknown) => {
        throw new SlipwayError(e.kind, `${e.message} (cleaning up failed too: ${messageOf(cleanup)})`, { cause: err, hint: e.hint });
      });
      throw e;
    }
  }

  async startService(service: ServicePlan, request: StartRequest): Promise<StepHandle> {
    await this.#images.ensure(service.image, 'if-not-exists', request.onOutput, request.pullLogins);
    const options = serviceContainerOptions(service, request, suffix(), this.#limits);
    return this.#start({ ...options, Image: await this.#pin(request.workspace, service.image) }, request);
  }

  async startStep(step: StepPlan, request: StartRequest): Promise<StepHandle> {
    const options = stepContainerOptions(step, request, suffix(), this.#limits);
    await this.#images.ensure(options.Image ?? '', step.pull, request.onOutput, request.pullLogins);
    return this.#start({ ...options, Image: await this.#pin(request.workspace, options.Image ?? '') }, request);
  }

  async wait(handle: StepHandle, signal: AbortSignal): Promise<StepExit> {
    const container = this.docker.getContainer(handle.id);
    const stopWaiting = new AbortController();
    let killing: Promise<boolean> | null = null;
    let killError: unknown = null;
    const kill = () => {
      killing = container.kill({ signal: 'SIGKILL' }).then(
        () => true,
        (err: unknown) => {
          // 409: it ended on its own just before, so its real exit code counts; 404: teardown removed it.
          if (statusOf(err) === 404 || statusOf(err) === 409) return false;
          // Still running and not killable: waiting on would never end.
          killError = err;
          stopWaiting.abort();
          return false;
        },
      );
    };
    if (signal.aborted) kill();
    else signal.addEventListener('abort', kill, { once: true });
    try {
      const result = (await container.wait({ abortSignal: stopWaiting.signal }).catch((err: unknown) => {
        if (killError !== null) throw new SlipwayError('dependency', `killing container ${handle.id} failed: ${messageOf(killError)}`, { cause: killError });
        if (statusOf(err) === 404) return { StatusCode: 137 }; // removed by teardown while we waited
        throw new SlipwayError('dependency', `waiting for container ${handle.id} failed: ${messageOf(err)}`, { cause: err });
      })) as { StatusCode?: unknown };
      const killed = killing !== null && (await killing);
      const exit: StepExit = killed ? KILLED : { exitCode: typeof result.StatusCode === 'number' ? result.StatusCode : 1, killed: false };
      await this.#drain(handle.id, container, exit);
      return exit;
    } finally {
      signal.removeEventListener('abort', kill);
      this.#attached.delete(handle.id);
    }
  }

  async teardown(workspace: WorkspaceRef, options: { keepWorkspace: boolean }): Promise<void> {
    this.#pinned.delete(workspace.id);
    const containers = await this.docker.listContainers({ all: true, filters: { label: [`${LABELS.workspace}=${workspace.id}`] } });
    await Promise.all(containers.map((c) => removeQuietly(this.docker.getContainer(c.Id))));
    for (const c of containers) this.#attached.delete(c.Id);
    // Independent, and each takes 100–200 ms in dockerd: side by side.
    await Promise.all([this.#removeNetwork(workspace.network), options.keepWorkspace ? null : this.removeWorkspace(workspace.volume)]);
  }

  async removeWorkspace(volume: string): Promise<void> {
    try {
      await this.docker.getVolume(volume).remove();
    } catch (err) {
      const status = statusOf(err);
      if (status === 404) return;
      throw new SlipwayError(status === 409 ? 'conflict' : 'dependency', `removing workspace ${volume} failed: ${messageOf(err)}`, {
        cause: err,
        hint: status === 409 ? 'a container still uses it; it can be removed once that run has ended' : undefined,
      });
    }
  }

  /** The image ID the name has in this pipeline: resolved at its first use, the same for every later container. */
  #pin(workspace: WorkspaceRef, image: string): Promise<string> {
    let pins = this.#pinned.get(workspace.id);
    if (pins === undefined) this.#pinned.set(workspace.id, (pins = new Map()));
    let id = pins.get(image);
    if (id === undefined) {
      id = this.docker.getImage(image).inspect().then(
        (info) => info.Id,
        (err: unknown) => {
          pins.delete(image);
          throw new SlipwayError('dependency', `dockerd could not inspect image ${image}: ${messageOf(err)}`, { cause: err });
        },
      );
      pins.set(image, id);
    }
    return id;
  }

  async #start(options: Dockerode.ContainerCreateOptions, request: StartRequest): Promise<StepHandle> {
    const attached = await startAttached(this.docker, options, request.onOutput);
    // The limit the container got (the step's own mem_limit or the default), for the out-of-memory message.
    this.#attached.set(attached.container.id, { ...attached, memoryBytes: options.HostConfig?.Memory ?? this.#limits.memoryBytes });
    return { id: attached.container.id };
  }

  /** All output reaches onOutput before wait resolves: the caller closes the step's log right after. */
  async #drain(id: string, container: Dockerode.Container, exit: StepExit): Promise<void> {
    const attached = this.#attached.get(id);
    if (attached === undefined) return; // started by an earlier process: its output went with it
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), this.#drainTimeoutMs)));
    const drained = await Promise.race([attached.drained, late]).finally(() => clearTimeout(timer));
    if (drained !== null && drained.outputError !== null) {
      throw new SlipwayError('internal', `forwarding the output of container ${id} failed: ${messageOf(drained.outputError)}`, { cause: drained.outputError });
    }
    if (exit.exitCode === 137 && !exit.killed && (await oomKilled(container))) {
      const mib = Math.round(attached.memoryBytes / 1024 ** 2);
      attached.onOutput(`slipway: the container ran out of memory (limit ${mib} MiB) and was killed\n`);
    }
  }

  async #removeNetwork(name: string): Promise<void> {
    try {
      await this.docker.getNetwork(name).remove();
    } catch (err) {
      if (statusOf(err) !== 404) throw new SlipwayError('dependency', `removing network ${name} failed: ${messageOf(err)}`, { cause: err });
    }
  }

  async #createNetwork(app: string, ref: WorkspaceRef, internal: boolean): Promise<void> {
    try {
      await this.docker.createNetwork(runNetworkOptions(app, ref, internal));
    } catch (err) {
      if (statusOf(err) !== 409) throw new SlipwayError('dependency', `creating network ${ref.network} failed: ${messageOf(err)}`, { cause: err });
      // 409: made by an earlier attempt of this setup; it carries the same labels, so it is ours to use.
    }
  }

  /** putArchive on a created (never started) container writes into its volumes: no helper image needed. */
  async #extract(request: SetupRequest, ref: WorkspaceRef): Promise<void> {
    const image = await this.#extractImage(imagesOf(request.pipeline), request.pullLogins ?? []);
    if (image === null) return; // only built-in steps: nothing runs in the workspace
    const { pipeline } = request;
    const container = await this.docker.createContainer(extractContainerOptions(image, request.app, ref, pipeline));
    const abort = new AbortController();
    let sourceError: unknown = null;
    const source = request.source();
    try {
      // A failing source would otherwise leave the upload waiting for bytes that never come.
      source.once('error', (err: unknown) => {
        sourceError = err;
        abort.abort();
      });
      await container.putArchive(source, { path: pipeline.workspace, abortSignal: abort.signal });
    } catch (err) {
      const cause = sourceError ?? err;
      throw new SlipwayError(sourceError === null ? 'invalid_input' : 'dependency', `the source could not be extracted into the workspace: ${messageOf(cause)}`, {
        cause,
        hint: sourceError === null ? 'the source must be a tar archive (optionally gzipped)' : undefined,
      });
    } finally {
      source.destroy();
      await removeQuietly(container);
    }
  }

  /** An image already on the host if the pipeline has one (no pull just to extract), else the first, pulled. */
  async #extractImage(images: readonly string[], logins: readonly RegistryCredentials[]): Promise<string | null> {
    for (const image of images) if (await this.#images.exists(image)) return image;
    const first = images[0];
    if (first === undefined) return null;
    await this.#images.ensure(first, 'if-not-exists', () => undefined, logins);
    return first;
  }

  async #volumeExists(name: string): Promise<boolean> {
    try {
      await this.docker.getVolume(name).inspect();
      return true;
    } catch (err) {
      if (statusOf(err) === 404) return false;
      throw new SlipwayError('dependency', `inspecting volume ${name} failed: ${messageOf(err)}`, { cause: err });
    }
  }
}

async function oomKilled(container: Dockerode.Container): Promise<boolean> {
  // Only an explanation for the log: a container that cannot be inspected any more just gets none.
  const info = (await container.inspect().catch(() => null)) as { State?: { OOMKilled?: unknown } } | null;
  return info?.State?.OOMKilled === true;
}

function suffix(): string {
  return randomBytes(3).toString('hex');
}
