// How Slipway names what it creates in Docker, so one machine can hold several Slipway instances (tests do).

import { createHash } from 'node:crypto';
import type { App, Route } from './types.js';

export function appServiceName(instance: string, app: string): string {
  return `${instance}-app-${app}`;
}

export function edgeServiceName(instance: string): string {
  return `${instance}-edge`;
}

export function registryContainerName(instance: string): string {
  return `${instance}-registry`;
}

/**
 * The instance's shared overlay network. Until issue 12 every app joined it (so apps reached each other); now it is
 * the edge's own network (in its service spec: changing that would restart Caddy) and holds apps deployed by an older
 * Slipway until their next deploy moves them to their own network.
 */
export function networkName(instance: string): string {
  return instance;
}

/** An app's own overlay network: only its service and the edge (attached container-level) are on it. */
export function appNetworkName(instance: string, app: string): string {
  return fitSwarmName(`${instance}-appnet-${app}`);
}

/** The labels of an app's network: how app removal and the edge find it. */
export function appNetworkLabels(instance: string, app: string): Record<string, string> {
  return { 'io.slipway.instance': instance, 'io.slipway.app': app, 'io.slipway.network': 'app' };
}

/**
 * Networks the edge joins and leaves as apps and routed stacks come and go (app networks, stack networks); the
 * shared network and anything else on the edge is never detached.
 */
export function isEdgeManagedNetwork(instance: string, network: string): boolean {
  return network.startsWith(`${instance}-appnet-`) || network.startsWith(`${instance}-stack-`);
}

/** A stack's name, as the `deploy: { stack }` step gives it: like an app name, 1–32 characters. */
export const STACK_NAME = /^[a-z](?:[a-z0-9-]{0,30}[a-z0-9])?$/;

/** Swarm names services and networks like DNS labels: at most 63 characters (swarmkit validateAnnotations). */
const MAX_SWARM_NAME = 63;

/**
 * `<instance>-stack-<app>_<stack>_<service>`: app and stack names have no "_", so no two stacks can collide
 * (`docker stack deploy` names services `<stack>_<service>` the same way). Too long a name keeps its start and
 * ends with a hash of the whole, so it stays unique and the same on every deploy.
 */
export function stackServiceName(instance: string, app: string, stack: string, service: string): string {
  return fitSwarmName(`${instance}-stack-${app}_${stack}_${service}`);
}

/** The stack's own overlay network, where each service is reachable by its compose name. */
export function stackNetworkName(instance: string, app: string, stack: string): string {
  return fitSwarmName(`${instance}-stack-${app}_${stack}`);
}

function fitSwarmName(name: string): string {
  if (name.length <= MAX_SWARM_NAME) return name;
  return `${name.slice(0, MAX_SWARM_NAME - 9)}-${createHash('sha256').update(name).digest('hex').slice(0, 8)}`;
}

/** Image repository of an app in Slipway's registry. */
export function appRepository(app: string): string {
  return `apps/${app}`;
}

/**
 * Whether an image names the app's own repository in Slipway's registry (`<registry>/apps/<app>:tag` or `@digest`):
 * only those get the registry's credentials, so a stack of one app cannot pull another app's images.
 */
export function isOwnAppImage(image: string, registryAddress: string, app: string): boolean {
  const repo = `${registryAddress}/${appRepository(app)}`;
  return image.startsWith(`${repo}:`) || image.startsWith(`${repo}@`);
}

/** The edge reaches an app through Swarm's per-task DNS name: works without IPVS, and with it. */
export function routeOf(instance: string, app: App): Route {
  return { domain: app.domain, upstreams: [`tasks.${appServiceName(instance, app.name)}:${app.port}`] };
}

export function appUrl(app: Pick<App, 'domain'>, httpsPort: number): string {
  return httpsPort === 443 ? `https://${app.domain}/` : `https://${app.domain}:${httpsPort}/`;
}
