// A stack as Swarm objects (pure, no I/O): names for networks, volumes, configs and secrets (configs and secrets
// content-addressed, so changing one rolls exactly the services that use it), labels, and each service's settings.

import { createHash } from 'node:crypto';
import { SlipwayError } from '../core/errors.js';
import { stackNetworkName } from '../core/naming.js';
import {
  STACK_FILE_LABEL, STACK_LABEL, appStackLabels, type PlannedFile, type PlannedNetwork, type PlannedRoute, type PlannedVolume, type StackPlan,
} from '../converge/stack-plan.js';
import { serviceDefinition, type StackNames } from './definitions-service.js';
import type { ComposeStack, StackFileObject } from './model.js';

export interface StackTarget {
  readonly instance: string;
  readonly app: string;
  readonly stack: string;
}

export interface StackPlanInput {
  /** The bytes of every config and secret that is not external, by compose key (run/stack-step.ts reads them). */
  readonly contents?: { readonly configs: Readonly<Record<string, Buffer>>; readonly secrets: Readonly<Record<string, Buffer>> };
  /** Whether the engine has IPVS (Swarm's routing mesh): without it ingress ports and VIPs cannot work. */
  readonly routingMesh?: boolean;
}

export interface StackPlanResult {
  readonly plan: StackPlan;
  /** Secret values by Swarm name, for deployStack only (never stored with the plan). */
  readonly secretData: ReadonlyMap<string, Buffer>;
}

/** Swarm names networks, volumes, configs and secrets in at most 64 characters; we keep to 63 like services. */
const MAX_NAME = 63;

export function stackPlan(compose: ComposeStack, target: StackTarget, input: StackPlanInput = {}): StackPlan {
  return stackPlanWithSecrets(compose, target, input).plan;
}

export function stackPlanWithSecrets(compose: ComposeStack, target: StackTarget, input: StackPlanInput = {}): StackPlanResult {
  const network = stackNetworkName(target.instance, target.app, target.stack);
  const labels = { ...appStackLabels(target.instance, target.app), [STACK_LABEL]: target.stack };
  const objectLabels = { ...labels, 'com.docker.stack.namespace': network };
  const notes: string[] = [];

  const networks: PlannedNetwork[] = [{ key: 'default', name: network, external: false, options: { attachable: true, internal: false, driverOpts: {}, ipam: null }, labels: objectLabels }];
  for (const [key, n] of Object.entries(compose.networks)) {
    const planned: PlannedNetwork = {
      key, name: n.external ? (n.name ?? key) : fit(`${network}_${key}`), external: n.external,
      options: { attachable: n.attachable, internal: n.internal, driverOpts: n.driverOpts, ipam: n.ipam },
      labels: { ...n.labels, ...objectLabels },
    };
    if (key === 'default') networks[0] = { ...planned, name: n.external ? planned.name : network };
    else networks.push(planned);
  }
  const volumes: PlannedVolume[] = Object.entries(compose.volumes).map(([key, v]) => ({ key, name: v.external ? (v.name ?? key) : fit(`${network}_${key}`), external: v.external }));

  const secretData = new Map<string, Buffer>();
  const files: PlannedFile[] = [];
  for (const kind of ['config', 'secret'] as const) {
    for (const [key, object] of Object.entries(kind === 'config' ? compose.configs : compose.secrets)) {
      const data = object.source.kind === 'external' ? null : contentOf(kind, key, object, input);
      const name = object.source.kind === 'external' ? object.source.name : fit(`${network}_${key}_${sha256(data as Buffer).slice(0, 12)}`, 12);
      files.push({
        kind, key, name, external: data === null, labels: { ...object.labels, ...objectLabels, [STACK_FILE_LABEL]: key },
        data: kind === 'config' && data !== null ? data.toString('base64') : null,
      });
      if (kind === 'secret' && data !== null) secretData.set(name, data);
    }
  }

  const names: StackNames = {
    network: (key) => networks.find((n) => n.key === key)?.name,
    volume: (key) => volumes.find((v) => v.key === key),
    file: (kind, key) => files.find((f) => f.kind === kind && f.key === key)?.name,
    volumeLabels: (key) => ({ ...(compose.volumes[key]?.labels ?? {}), ...objectLabels }),
    volumeDriver: (key) => compose.volumes[key] ?? null,
  };
  const services = compose.services.map((s) => serviceDefinition(s, { target, network, labels, names, routingMesh: input.routingMesh ?? true, notes }));
  // Only what some service uses is created (compose does the same for networks).
  const used = new Set(services.flatMap((s) => [s.network, ...(s.moreNetworks ?? []).map((n) => n.network)]));
  const routes: Record<string, PlannedRoute> = {};
  for (const s of compose.services) if (s.route) routes[s.name] = { domain: s.route.domain, port: s.route.port };
  return {
    plan: {
      name: target.stack, network, labels: objectLabels, services,
      networks: networks.filter((n) => n.key === 'default' || used.has(n.name)), volumes, files, routes, notes,
    },
    secretData,
  };
}

function contentOf(kind: 'config' | 'secret', key: string, object: StackFileObject, input: StackPlanInput): Buffer {
  const given = (kind === 'config' ? input.contents?.configs : input.contents?.secrets)?.[key];
  if (given !== undefined) return given;
  if (object.source.kind === 'content') return Buffer.from(object.source.text);
  throw new SlipwayError('invalid_input', `${kind} ${key}: its content was not read (${describe(object)})`, {
    field: `${kind}s.${key}`,
    hint: object.source.kind === 'slipway' ? `set the app secret ${object.source.secret} (\`slipway secrets set\`)` : 'check that the file is in the repository',
  });
}

function describe(object: StackFileObject): string {
  const s = object.source;
  switch (s.kind) {
    case 'file': return `file ${s.path}`;
    case 'environment': return `variable ${s.variable}`;
    case 'slipway': return `Slipway secret ${s.secret}`;
    case 'content': return 'inline content';
    case 'external': return `external ${s.name}`;
  }
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Keeps a name within Swarm's limit: its start, then a hash of the whole, keeping the last `keepEnd` characters. */
export function fit(name: string, keepEnd = 0): string {
  if (name.length <= MAX_NAME) return name;
  const tail = keepEnd > 0 ? `_${name.slice(-keepEnd)}` : '';
  return `${name.slice(0, MAX_NAME - 9 - tail.length)}-${sha256(Buffer.from(name)).slice(0, 8)}${tail}`;
}
