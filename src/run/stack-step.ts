// The built-in `deploy: { stack }` step: read the compose file from the run's source, turn it into Swarm
// services and roll them out health-gated (converge/stack-rollout.ts).

import { posix } from 'node:path';
import type { Readable } from 'node:stream';
import { SlipwayError } from '../core/errors.js';
import { isOwnAppImage, STACK_NAME } from '../core/naming.js';
import type { EnginePort, ServiceDefinition } from '../core/ports/engine.js';
import type { RegistryPort } from '../core/ports/registry.js';
import type { StackSourceFile } from '../core/ports/stack-releases.js';
import { composeNameOf, type StackPlan } from '../converge/stack-plan.js';
import { withRoute } from '../edge/stack-routes.js';
import { deployStack, type StackDeployContext } from '../converge/stack-rollout.js';
import { composeCandidates, composeFileFromTar } from '../stack/compose-file.js';
import { parseComposeFiles, UNTRUSTED } from '../stack/compose.js';
import { composeNeeds } from '../stack/compose-needs.js';
import { stackPlanWithSecrets } from '../stack/definitions.js';
import type { ComposeStack, ComposeVariables, StackFileObject } from '../stack/model.js';
import { filesFromTar } from './stack-files.js';

export interface StackStepInput {
  readonly instance: string;
  readonly app: string;
  readonly stack: string;
  /** The compose file in the repository; null: the default names at the root. */
  readonly file: string | null;
  readonly commit: string;
  /** The digest-pinned image this run pushed, or null when it pushed none. */
  readonly image: string | null;
}

export interface StackStepDeps {
  readonly engine: EnginePort;
  readonly registry: Pick<RegistryPort, 'address' | 'credentials' | 'resolveDigest'>;
  /**
   * The deploy step's environment with the secrets it names opened: where `x-slipway-secret: NAME` and
   * `environment: VAR` configs/secrets take their value (a secret reaches a stack only when the step names it).
   */
  readonly environment?: Readonly<Record<string, string>>;
  readonly deadlineMs: number;
  readonly pollMs?: number;
  /**
   * A tar stream of a folder of the source: of the workspace when the pipeline has one (steps may have written
   * the file), otherwise of the commit or upload (then `folder` is looked up inside it by the caller's paths).
   */
  readonly openSource: (folder: string) => Promise<{ stream: Readable; rootedAt: 'folder' | 'repository' }>;
  readonly log: (text: string) => void;
  /** Issue 13 (stack releases): how the plan is deployed, recorded as a release; converge's deployStack when absent. */
  readonly deploy?: (plan: StackPlan, ctx: StackDeployContext, sources: readonly StackSourceFile[]) => Promise<void>;
  /** Edge routes of routed stack services (issue 13): domains checked before deploying, routes synced after. */
  readonly routes?: {
    readonly check?: (stack: string, services: readonly ServiceDefinition[]) => Promise<void>;
    readonly sync: () => Promise<void>;
  };
}

export async function runStackStep(input: StackStepInput, deps: StackStepDeps): Promise<void> {
  // Checked again here: the pipeline compiler may have filled in a `${…}` variable.
  if (!STACK_NAME.test(input.stack)) {
    throw new SlipwayError('invalid_input', `invalid stack name "${input.stack.slice(0, 40)}"`, {
      field: 'stack',
      hint: 'use 1–32 characters: lowercase letters, digits and "-", starting with a letter and not ending with "-"',
    });
  }
  const { folder, names } = composeCandidates(input.file);
  const { stream, rootedAt } = await deps.openSource(folder);
  const paths = rootedAt === 'folder' ? names : names.map((n) => posix.join(folder, n));
  const found = await composeFileFromTar(stream, paths);
  if (found === null) {
    throw new SlipwayError('invalid_input', `stack ${input.stack}: no compose file ${input.file ?? `(looked for ${names.join(', ')})`} in the source`, {
      field: input.file ?? 'compose.yaml',
      hint: input.file ? 'check the file path in the deploy step (relative to the repository root)' : 'add a compose.yaml, or name the file with `deploy: { stack: …, file: path/to/compose.yml }`',
    });
  }
  // Paths in messages are the repository's, whichever way the file was read.
  const path = rootedAt === 'folder' ? posix.join(folder, found.path) : found.path;
  deps.log(`--> stack ${input.stack} from ${path}\n`);
  const file = { path, text: found.text };
  const vars = variables(input);
  // `.env` beside the file and env_files: read from the source first, so the reader itself stays pure.
  const wanted = composeNeeds([file], vars).reader;
  const texts = await sourceFiles(deps, folder, wanted);
  const readRepoFile = (p: string) => texts.get(posix.normalize(p).replace(/^\.\//, ''))?.toString('utf8') ?? null;
  // No admin setting trusts an app or allows host paths yet: privileged options and bind mounts are refused.
  const compose = parseComposeFiles([file], vars, UNTRUSTED, { readRepoFile });
  const contents = await readContents(compose, deps);
  const routingMesh = await deps.engine.routingMesh();
  const { plan: unrouted, secretData } = stackPlanWithSecrets(compose, { instance: input.instance, app: input.app, stack: input.stack }, { contents, routingMesh });
  // Each routed service carries its route as labels (the edge reads them back, so a route goes with its service);
  // a domain used by Slipway, an app or another stack is refused here, before anything changes.
  const plan = routedPlan(compose, unrouted);
  await deps.routes?.check?.(input.stack, plan.services);
  await (deps.deploy ?? deployStack)(plan, {
    engine: deps.engine,
    registry: deps.registry,
    secretData,
    // Slipway's registry password goes only with images from Slipway's registry (see the engine port).
    credentialsFor: (image) => (isOwnAppImage(image, deps.registry.address, input.app) ? deps.registry.credentials() : null),
    deadlineMs: deps.deadlineMs,
    pollMs: deps.pollMs,
    log: deps.log,
  }, [file]);
  // The routes of the stack's services as they are now, with the edge on the networks it needs.
  await deps.routes?.sync();
}

/** Each routed service of the plan carries its route as labels (`io.slipway.route.*`), read back by the edge. */
export function routedPlan(compose: ComposeStack, plan: StackPlan): StackPlan {
  const routeOf = (d: ServiceDefinition) => compose.services.find((s) => s.name === composeNameOf(d))?.route ?? null;
  return { ...plan, services: plan.services.map((d) => withRoute(d, routeOf(d))) };
}

/**
 * Repository files (optional ones: `.env` may be absent) read from the source. A workspace is exported by folder, so
 * when every path is inside the compose file's folder only that folder is asked for.
 */
async function sourceFiles(deps: StackStepDeps, folder: string, paths: readonly string[]): Promise<Map<string, Buffer>> {
  if (paths.length === 0) return new Map();
  const prefix = folder === '.' ? '' : `${folder}/`;
  const inFolder = paths.every((p) => p.startsWith(prefix));
  const { stream, rootedAt } = await deps.openSource(inFolder ? folder : '.');
  const strip = inFolder && rootedAt === 'folder' ? prefix.length : 0;
  const found = await filesFromTar(stream, paths.map((p) => p.slice(strip)), { optional: true });
  return new Map([...found].map(([p, data]) => [`${prefix.slice(0, strip)}${p}`, data]));
}

/** The bytes of every config and secret that is not external: files from the source, values from the step. */
export async function readContents(compose: ComposeStack, deps: StackStepDeps): Promise<{ configs: Record<string, Buffer>; secrets: Record<string, Buffer> }> {
  const objects = [
    ...Object.entries(compose.configs).map(([key, o]) => ({ kind: 'config' as const, key, o })),
    ...Object.entries(compose.secrets).map(([key, o]) => ({ kind: 'secret' as const, key, o })),
  ];
  const paths = objects.flatMap(({ o }) => (o.source.kind === 'file' ? [o.source.path] : []));
  const files = paths.length === 0 ? new Map<string, Buffer>() : await filesFromTar((await deps.openSource('.')).stream, paths);
  const out = { configs: {} as Record<string, Buffer>, secrets: {} as Record<string, Buffer> };
  for (const { kind, key, o } of objects) {
    const data = valueOf(kind, key, o, files, deps.environment ?? {});
    if (data !== null) (kind === 'config' ? out.configs : out.secrets)[key] = data;
  }
  return out;
}

function valueOf(kind: string, key: string, o: StackFileObject, files: ReadonlyMap<string, Buffer>, env: Readonly<Record<string, string>>): Buffer | null {
  const s = o.source;
  if (s.kind === 'external') return null;
  if (s.kind === 'content') return Buffer.from(s.text);
  if (s.kind === 'file') return files.get(posix.normalize(s.path).replace(/^\.\//, '')) ?? null;
  const name = s.kind === 'slipway' ? s.secret : s.variable;
  const value = env[name];
  if (value === undefined) {
    throw new SlipwayError('invalid_input', `${kind} ${key} takes its value from ${s.kind === 'slipway' ? 'the app secret' : 'the variable'} ${name}, which this deploy step was not given`, {
      field: `${kind}s.${key}`,
      hint: `name it in the deploy step: \`environment: { ${name}: { from_secret: ${name} } }\` (${s.kind === 'slipway' ? 'set it first with `slipway secrets set`' : 'or as a plain value'})`,
    });
  }
  return Buffer.from(value);
}

function variables(input: StackStepInput): ComposeVariables {
  return {
    SLIPWAY_IMAGE: input.image ?? { missing: 'this run pushed no image; add build and push steps before this deploy step' },
    SLIPWAY_APP: input.app,
    SLIPWAY_STACK: input.stack,
    SLIPWAY_COMMIT: input.commit,
  };
}
