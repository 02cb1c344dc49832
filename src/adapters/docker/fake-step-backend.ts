// A scriptable fake of the step backend port for unit tests: no containers, calls recorded, the protocol kept.
//
// Like Woodpecker's dummy backend, what a step does comes from its environment, or from the `scripts` given to
// the constructor by step or service name (those win):
//   SLIPWAY_FAKE_EXIT          exit code (default 0)
//   SLIPWAY_FAKE_OUTPUT        text printed; `${NAME}` is an environment value, `${file:/abs/path}` a file's
//                              content (default: the `+ command` trace lines of a commands step)
//   SLIPWAY_FAKE_OUTPUT_BYTES  that many more bytes of generated text lines, in 64 KB chunks (streaming tests)
//   SLIPWAY_FAKE_WRITE         JSON {"/abs/path": "content"}: files written in the workspace or a cache
//   SLIPWAY_FAKE_SLEEP_MS      how long the step runs after printing (services run until teardown)
// Workspaces and caches are in-memory file maps: setup reads the source tar into one, keepWorkspace keeps it and
// reuseWorkspace finds it, so restart and cache logic is exercised as with Docker. Aborting wait kills the step.

import { Readable } from 'node:stream';
import { Header, Parser, type ReadEntry } from 'tar';
import { SlipwayError } from '../../core/errors.js';
import type { ServicePlan, StepPlan } from '../../core/plan.js';
import type { SetupRequest, StartRequest, StepBackend, StepExit, StepHandle, WorkspaceExporter, WorkspaceRef } from '../../core/ports/step-backend.js';
import { imagesOf } from './step-convert.js';
import { cacheVolumeName, workspaceRefFor } from './step-names.js';

export interface FakeStepScript {
  readonly exitCode?: number;
  readonly output?: string;
  readonly outputBytes?: number;
  readonly writes?: Readonly<Record<string, string>>;
  readonly sleepMs?: number;
}

export interface FakeStepBackendOptions {
  /** By step or service name; overrides the SLIPWAY_FAKE_* environment. */
  readonly scripts?: Readonly<Record<string, FakeStepScript>>;
  /** Images on the fake host; any other fails as a missing image that cannot be pulled. Default: every image. */
  readonly images?: readonly string[];
  /** Whether the fake can read a workspace back (workspaceExport); default false, as a backend without it. */
  readonly workspaceExport?: boolean;
}

export type FakeStepCall =
  | { readonly method: 'setup'; readonly app: string; readonly runId: number; readonly pipeline: string; readonly reuseWorkspace: string | null; readonly internalNetwork?: true }
  | {
      readonly method: 'startService' | 'startStep'; readonly name: string; readonly image: string; readonly workspace: string;
      readonly environment: Readonly<Record<string, string>>;
      /** "user@registry" of each pull login the start was given. */
      readonly pullLogins: readonly string[];
    }
  | { readonly method: 'wait'; readonly name: string; readonly exit: StepExit }
  | { readonly method: 'teardown'; readonly workspace: string; readonly keepWorkspace: boolean }
  | { readonly method: 'removeWorkspace'; readonly volume: string };

type Files = Map<string, string>;

interface FakeContainer {
  readonly name: string;
  readonly workspace: string;
  readonly exit: Promise<StepExit>;
  kill(): void;
}

const CHUNK = 64 * 1024;

export class FakeStepBackend implements StepBackend {
  readonly calls: FakeStepCall[] = [];
  /** Volume name → files by path relative to the volume. */
  readonly #volumes = new Map<string, Files>();
  readonly #networks = new Set<string>();
  readonly #containers = new Map<string, FakeContainer>();
  #serial = 0;

  readonly workspaceExport: WorkspaceExporter | null;

  constructor(private readonly options: FakeStepBackendOptions = {}) {
    this.workspaceExport = options.workspaceExport ? { exportWorkspace: (volume, path, image) => this.#export(volume, path, image) } : null;
  }

  /** The files of a workspace folder as a tar rooted at it, like the Docker backend's export. */
  async #export(volume: string, path: string, image: string): Promise<Readable> {
    const folder = path.replace(/^\.?\/+/, '').replace(/\/+$/, '');
    if (folder.split('/').includes('..')) throw new SlipwayError('invalid_input', `build context ${path} leaves the workspace`, { field: 'context' });
    const files = this.#volumes.get(volume);
    if (files === undefined) throw new SlipwayError('not_found', `no workspace ${volume}`);
    if (!this.#hasImage(image)) throw imageNotFound(image);
    const prefix = folder === '' || folder === '.' ? '' : `${folder}/`;
    const inside = [...files].filter(([p]) => p.startsWith(prefix));
    if (prefix !== '' && inside.length === 0) throw new SlipwayError('invalid_input', `cannot read ${path} from the workspace: not found`, { field: 'context' });
    return Readable.from([writeTar(inside.map(([p, content]) => [p.slice(prefix.length), content]))]);
  }

  async setup(request: SetupRequest): Promise<WorkspaceRef> {
    const { app, runId, pipeline, reuseWorkspace } = request;
    this.calls.push({ method: 'setup', app, runId, pipeline: pipeline.name, reuseWorkspace, ...(request.internalNetwork === true ? { internalNetwork: true as const } : {}) });
    const ref = workspaceRefFor(request.namespace, app, runId, pipeline.name, reuseWorkspace);
    if (reuseWorkspace !== null && !this.#volumes.has(reuseWorkspace)) {
      throw new SlipwayError('not_found', `the workspace ${reuseWorkspace} kept from the earlier run no longer exists`, {
        hint: 'it was removed (retention or cleanup): run the pipeline again from the start',
      });
    }
    if (reuseWorkspace === null) {
      // Like Docker: the source is extracted with any image on the host, so only "none there at all" fails here.
      const images = imagesOf(pipeline);
      const [first] = images;
      if (first !== undefined && !images.some((image) => this.#hasImage(image))) throw imageNotFound(first);
      this.#volumes.set(ref.volume, first !== undefined ? await readTar(request.source()) : new Map());
    }
    this.#networks.add(ref.network);
    return ref;
  }

  async startService(service: ServicePlan, request: StartRequest): Promise<StepHandle> {
    return this.#start('startService', service.name, service.image, service.commands, { ...request, caches: [] }, true);
  }

  async startStep(step: StepPlan, request: StartRequest): Promise<StepHandle> {
    if (step.image === null) throw new SlipwayError('internal', `step ${step.name} is a built-in ${step.kind} step: the run stage executes it`);
    return this.#start('startStep', step.name, step.image, step.commands, request, false);
  }

  async wait(handle: StepHandle, signal: AbortSignal): Promise<StepExit> {
    const container = this.#containers.get(handle.id);
    if (container === undefined) throw new SlipwayError('not_found', `no container ${handle.id}`);
    const kill = () => container.kill();
    if (signal.aborted) kill();
    else signal.addEventListener('abort', kill, { once: true });
    const exit = await container.exit.finally(() => signal.removeEventListener('abort', kill));
    this.calls.push({ method: 'wait', name: container.name, exit });
    return exit;
  }

  async teardown(workspace: WorkspaceRef, options: { keepWorkspace: boolean }): Promise<void> {
    this.calls.push({ method: 'teardown', workspace: workspace.id, keepWorkspace: options.keepWorkspace });
    for (const [id, container] of this.#containers) {
      if (container.workspace !== workspace.id) continue;
      container.kill();
      this.#containers.delete(id);
    }
    this.#networks.delete(workspace.network);
    if (!options.keepWorkspace) this.#volumes.delete(workspace.volume);
  }

  async removeWorkspace(volume: string): Promise<void> {
    this.calls.push({ method: 'removeWorkspace', volume });
    this.#volumes.delete(volume);
  }

  /** What is left of a workspace, for tests (the Docker conformance suite asks dockerd the same). */
  resources(ref: WorkspaceRef): { containers: number; network: boolean; volume: boolean } {
    const containers = [...this.#containers.values()].filter((c) => c.workspace === ref.id).length;
    return { containers, network: this.#networks.has(ref.network), volume: this.#volumes.has(ref.volume) };
  }

  volumeExists(name: string): boolean {
    return this.#volumes.has(name);
  }

  /** Files of a volume by path relative to it. */
  files(volume: string): ReadonlyMap<string, string> {
    return this.#volumes.get(volume) ?? new Map();
  }

  #start(method: 'startService' | 'startStep', name: string, image: string, commands: readonly string[], request: StartRequest, service: boolean): StepHandle {
    const { workspace, environment } = request;
    const pullLogins = (request.pullLogins ?? []).map((l) => `${l.username}@${l.serveraddress}`);
    this.calls.push({ method, name, image, workspace: workspace.id, environment, pullLogins });
    if (!this.#hasImage(image)) throw imageNotFound(image);
    if (!this.#networks.has(workspace.network)) throw new SlipwayError('not_found', `workspace ${workspace.id} is not set up`);
    for (const cache of request.caches) {
      const volume = cacheVolumeName(request.namespace, request.app, cache.name);
      if (!this.#volumes.has(volume)) this.#volumes.set(volume, new Map());
    }
    const script = { ...scriptFromEnv(environment), ...this.options.scripts?.[name] };
    const id = `fake-${++this.#serial}`;
    let killed = false;
    let wake: () => void = () => undefined;
    const run = async (): Promise<StepExit> => {
      for (const [path, content] of Object.entries(script.writes ?? {})) {
        const at = this.#fileAt(request, path);
        at?.files.set(at.rel, content);
      }
      const text = script.output !== undefined ? this.#expand(script.output, request) : commands.map((c) => `+ ${c}\n`).join('');
      for (const chunk of chunksOf(text, script.outputBytes ?? 0)) {
        await new Promise((resolve) => setImmediate(resolve));
        if (killed) return { exitCode: 137, killed: true };
        try {
          request.onOutput(chunk);
        } catch (err) {
          throw new SlipwayError('internal', `forwarding the output of ${name} failed: ${String(err)}`, { cause: err });
        }
      }
      const sleepMs = service ? Number.POSITIVE_INFINITY : (script.sleepMs ?? 0);
      if (sleepMs > 0) {
        await new Promise<void>((resolve) => {
          const timer = Number.isFinite(sleepMs) ? setTimeout(resolve, sleepMs) : undefined;
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
      return killed ? { exitCode: 137, killed: true } : { exitCode: script.exitCode ?? 0, killed: false };
    };
    const exit = run();
    // An onOutput that throws fails the step's wait; a service or detached step nobody waits for must not crash the process.
    exit.catch(() => undefined);
    this.#containers.set(id, {
      name,
      workspace: workspace.id,
      exit,
      kill: () => {
        killed = true;
        wake();
      },
    });
    return { id };
  }

  #expand(text: string, request: StartRequest): string {
    return text.replace(/\$\{(file:[^}]+|[A-Za-z_][A-Za-z0-9_]*)\}/g, (whole, key: string) => {
      if (!key.startsWith('file:')) return request.environment[key] ?? '';
      const at = this.#fileAt(request, key.slice('file:'.length));
      return at?.files.get(at.rel) ?? '';
    });
  }

  /** The volume an absolute path in the container falls in (workspace or cache), and the path inside it. */
  #fileAt(request: StartRequest, path: string): { files: Files; rel: string } | null {
    const mounts = [
      { volume: request.workspace.volume, target: request.pipeline.workspace },
      ...request.caches.map((c) => ({ volume: cacheVolumeName(request.namespace, request.app, c.name), target: c.path })),
    ].sort((a, b) => b.target.length - a.target.length);
    for (const m of mounts) {
      const prefix = m.target.endsWith('/') ? m.target : `${m.target}/`;
      const files = this.#volumes.get(m.volume);
      if (path.startsWith(prefix) && files !== undefined) return { files, rel: path.slice(prefix.length) };
    }
    return null;
  }

  #hasImage(image: string): boolean {
    return this.options.images === undefined || this.options.images.includes(image);
  }
}

function scriptFromEnv(env: Readonly<Record<string, string>>): FakeStepScript {
  const num = (value: string | undefined) => (value === undefined || value === '' ? undefined : Number(value));
  const writes = env.SLIPWAY_FAKE_WRITE;
  return {
    exitCode: num(env.SLIPWAY_FAKE_EXIT),
    output: env.SLIPWAY_FAKE_OUTPUT,
    outputBytes: num(env.SLIPWAY_FAKE_OUTPUT_BYTES),
    writes: writes === undefined ? undefined : parseWrites(writes),
    sleepMs: num(env.SLIPWAY_FAKE_SLEEP_MS),
  };
}

function parseWrites(json: string): Record<string, string> {
  try {
    return JSON.parse(json) as Record<string, string>;
  } catch (err) {
    throw new SlipwayError('invalid_input', `SLIPWAY_FAKE_WRITE is not JSON: ${String(err)}`, { hint: 'give {"/abs/path": "content"}', cause: err });
  }
}

/** The text, then `extra` bytes of 76-column lines (like base64 output), in 64 KB chunks. */
function* chunksOf(text: string, extra: number): Iterable<string> {
  for (let i = 0; i < text.length; i += CHUNK) yield text.slice(i, i + CHUNK);
  const line = `${'x'.repeat(75)}\n`;
  const block = line.repeat(Math.floor(CHUNK / line.length));
  for (let left = extra; left > 0; left -= block.length) yield block.slice(0, Math.min(left, block.length));
}

function imageNotFound(image: string): SlipwayError {
  return new SlipwayError('invalid_input', `image ${image} not found: it is not on this host and pulling it failed (fake host)`, {
    field: 'image',
    hint: 'check the image name and tag; a private or unreachable registry needs the image loaded on the host',
  });
}

/** A plain ustar archive of the files (path → text), the way the fake's workspaces come back out. */
function writeTar(files: ReadonlyArray<readonly [string, string]>): Buffer {
  const blocks: Buffer[] = [];
  for (const [path, content] of files) {
    const body = Buffer.from(content, 'utf8');
    const header = Buffer.alloc(512);
    new Header({ path: `./${path}`, mode: 0o644, size: body.length, mtime: new Date(0), type: 'File' }).encode(header);
    blocks.push(header, body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

async function readTar(source: Readable): Promise<Files> {
  const files: Files = new Map();
  const parser = new Parser();
  parser.on('entry', (entry: ReadEntry) => {
    const chunks: Buffer[] = [];
    entry.on('data', (chunk: Buffer) => chunks.push(chunk));
    entry.on('end', () => {
      if (entry.type === 'File') files.set(entry.path.replace(/^\.\//, ''), Buffer.concat(chunks).toString('utf8'));
    });
  });
  await new Promise<void>((resolve, reject) => {
    parser.on('end', () => resolve());
    parser.on('error', reject);
    source.on('error', reject);
    source.pipe(parser as unknown as NodeJS.WritableStream);
  });
  return files;
}
