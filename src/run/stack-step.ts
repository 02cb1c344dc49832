// The built-in `deploy: { stack }` step: read the compose file from the run's source, turn it into Swarm
// services and roll them out health-gated (converge/stack-rollout.ts).

import { posix } from 'node:path';
import type { Readable } from 'node:stream';
import { SlipwayError } from '../core/errors.js';
import { STACK_NAME } from '../core/naming.js';
import type { EnginePort, ServiceDefinition } from '../core/ports/engine.js';
import { composeNameOf } from '../converge/stack-plan.js';
import { withRoute } from '../edge/stack-routes.js';
import type { RegistryPort } from '../core/ports/registry.js';
import { deployStack } from '../converge/stack-rollout.js';
import { composeCandidates, composeFileFromTar } from '../stack/compose-file.js';
import { parseCompose } from '../stack/compose.js';
import { stackPlan } from '../stack/definitions.js';
import type { ComposeVariables } from '../stack/model.js';

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
  readonly registry: Pick<RegistryPort, 'address' | 'credentials'>;
  readonly deadlineMs: number;
  readonly pollMs?: number;
  /**
   * A tar stream of a folder of the source: of the workspace when the pipeline has one (steps may have written
   * the file), otherwise of the commit or upload (then `folder` is looked up inside it by the caller's paths).
   */
  readonly openSource: (folder: string) => Promise<{ stream: Readable; rootedAt: 'folder' | 'repository' }>;
  readonly log: (text: string) => void;
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
  const compose = parseCompose({ path, text: found.text }, variables(input));
  const unrouted = stackPlan(compose, { instance: input.instance, app: input.app, stack: input.stack });
  // --- edge routes (issue 13, branch wt/netedge): each routed service carries its route as labels (the edge reads
  // them back, so a route goes with its service); a domain used by Slipway, an app or another stack is refused here,
  // before anything changes. ---
  const routeOf = (d: ServiceDefinition) => compose.services.find((s) => s.name === composeNameOf(d))?.route ?? null;
  const plan = { ...unrouted, services: unrouted.services.map((d) => withRoute(d, routeOf(d))) };
  await deps.routes?.check?.(input.stack, plan.services);
  // --- end of edge routes ---
  const ours = `${deps.registry.address}/`;
  await deployStack(plan, {
    engine: deps.engine,
    // Slipway's registry password goes only with images from Slipway's registry (see the engine port).
    credentialsFor: (image) => (image.startsWith(ours) ? deps.registry.credentials() : null),
    deadlineMs: deps.deadlineMs,
    pollMs: deps.pollMs,
    log: deps.log,
  });
  // Edge routes (issue 13): routes of the stack's services as they are now, the edge on the stack's network.
  await deps.routes?.sync();
}

function variables(input: StackStepInput): ComposeVariables {
  return {
    SLIPWAY_IMAGE: input.image ?? { missing: 'this run pushed no image; add build and push steps before this deploy step' },
    SLIPWAY_APP: input.app,
    SLIPWAY_STACK: input.stack,
    SLIPWAY_COMMIT: input.commit,
  };
}
