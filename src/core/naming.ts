// How Slipway names what it creates in Docker, so one machine can hold several Slipway instances (tests do).

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

export function networkName(instance: string): string {
  return instance;
}

/** Image repository of an app in Slipway's registry. */
export function appRepository(app: string): string {
  return `apps/${app}`;
}

/** The edge reaches an app through Swarm's per-task DNS name: works without IPVS, and with it. */
export function routeOf(instance: string, app: App): Route {
  return { domain: app.domain, upstreams: [`tasks.${appServiceName(instance, app.name)}:${app.port}`] };
}

export function appUrl(app: Pick<App, 'domain'>, httpsPort: number): string {
  return httpsPort === 443 ? `https://${app.domain}/` : `https://${app.domain}:${httpsPort}/`;
}
