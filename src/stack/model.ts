// What a stack is once its compose file was read: services as Slipway deploys them, nothing Swarm-specific yet.

import type { HealthcheckDefinition } from '../core/ports/engine.js';

export interface StackService {
  /** The compose service name: the DNS name the other services of the stack reach it by. */
  readonly name: string;
  /** As the file gives it, variables replaced (`${SLIPWAY_IMAGE}` is the image this run pushed). */
  readonly image: string;
  readonly entrypoint: readonly string[] | null;
  readonly command: readonly string[] | null;
  readonly environment: Readonly<Record<string, string>>;
  readonly replicas: number;
  readonly healthcheck: HealthcheckDefinition | null;
  /** Compose `labels`: on the containers. */
  readonly labels: Readonly<Record<string, string>>;
  /** Compose `deploy.labels`: on the Swarm service. */
  readonly deployLabels: Readonly<Record<string, string>>;
}

export interface ComposeStack {
  /** Path of the compose file in the repository. */
  readonly file: string;
  /** In file order. */
  readonly services: readonly StackService[];
}

/**
 * The variables a compose file may use. A name mapped to `{ missing }` is known but has no value in this run
 * (e.g. SLIPWAY_IMAGE before any push): using it is an error that says why.
 */
export type ComposeVariables = Readonly<Record<string, string | { readonly missing: string }>>;
