// Which names a run's build may give its image (issue 12: a pull request must not retag images on the host).
// - A run of a fork's pull request builds under a throwaway local name, unique to the run and removed when it ends;
//   it gets no other name and publishes nothing.
// - In Slipway's registry a build is named only inside its own app's repository (apps/<app>): another app's
//   repository is refused, whatever the pipeline file says.
// - A repository in another registry (a docker-build plugin's `repo`) is named only for the push: tagged just before
//   it and untagged right after. Never a Docker Hub official image (`alpine`, `library/node`) nor the image of a step
//   or service of the pipeline: the names the host pulls for bases and steps.

import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { addressClass } from '../core/address-class.js';
import { SlipwayError } from '../core/errors.js';
import { appRepository } from '../core/naming.js';
import type { PublishSettings } from '../core/plan.js';
import { imageRepository, isOfficialImage } from '../pipeline/docker-plugin.js';

/** A local image name no registry serves and no other run shares. */
export function throwawayName(instance: string, app: string, runId: number): string {
  return `${instance}-untrusted/${app}:run-${runId}-${randomBytes(4).toString('hex')}`;
}

export interface NamingRules {
  /** Slipway's registry address (host:port). */
  readonly registry: string;
  readonly app: string;
  /** Images of the pipeline's steps and services. */
  readonly pipelineImages: readonly string[];
}

/** Where a docker-build plugin step publishes: in the app's own repository of Slipway's registry, or elsewhere. */
export type PublishTarget =
  | { readonly kind: 'own'; readonly repository: string; readonly tags: readonly string[] }
  | { readonly kind: 'outside'; readonly repository: string; readonly tags: readonly string[] };

/** Checks a plugin step's publish settings against the rules; SlipwayError invalid_input naming what is refused. */
export function publishTarget(step: string, publish: PublishSettings, rules: NamingRules): PublishTarget {
  const own = `${rules.registry}/${appRepository(rules.app)}`;
  const repository = imageRepository(publish.repository);
  if (sameRegistry(repository.slice(0, repository.indexOf('/')), rules.registry)) {
    const path = repository.slice(repository.indexOf('/') + 1);
    if (path !== appRepository(rules.app)) {
      throw new SlipwayError('invalid_input', `step ${step}: repo ${publish.repository} is not this app's repository in Slipway's registry; a build may tag only ${own}`, {
        field: 'repo',
        hint: `set repo to ${own} (or leave it out and use the built-in push), or publish to a registry of your own`,
      });
    }
    return { kind: 'own', repository: own, tags: publish.tags };
  }
  if (isOfficialImage(repository)) {
    throw new SlipwayError('invalid_input', `step ${step}: repo ${publish.repository} names a Docker Hub official image; a build may not take the name of an image this host pulls`, {
      field: 'repo',
      hint: 'publish under your own namespace, e.g. acme/web',
    });
  }
  const used = rules.pipelineImages.find((image) => imageRepository(image) === repository);
  if (used !== undefined) {
    throw new SlipwayError('invalid_input', `step ${step}: repo ${publish.repository} is the image ${used} of a step or service; a build may not take the name of an image this host runs`, {
      field: 'repo',
      hint: 'publish the app under a repository of its own',
    });
  }
  return { kind: 'outside', repository, tags: publish.tags };
}

/**
 * Whether a registry host[:port] is Slipway's own under any spelling that reaches this machine: case, IPv4 shorthand
 * (127.1), leading zeros in the port, any 127/8 or ::1 or 0.0.0.0 address (the WHATWG URL parser normalizes the way
 * clients resolve).
 */
function sameRegistry(host: string, registry: string): boolean {
  const a = hostPort(host);
  const b = hostPort(registry);
  if (a === null || b === null) return host === registry;
  if (a.name === b.name && a.port === b.port) return true;
  return a.port === b.port && isThisMachine(a.name) && isThisMachine(b.name);
}

function hostPort(host: string): { name: string; port: string } | null {
  try {
    const u = new URL(`https://${host}`);
    return { name: u.hostname.replace(/^\[|\]$/g, ''), port: u.port || '443' };
  } catch {
    return null;
  }
}

function isThisMachine(name: string): boolean {
  if (name === 'localhost' || name.endsWith('.localhost')) return true;
  if (isIP(name) === 0) return false;
  const cls = addressClass(name);
  return cls === 'loopback' || cls === 'unspecified';
}
