// The stack objects inside FakeEngine: networks' options, configs and secrets, named volumes, nodes. Swarm's rules
// it keeps (checked against dockerd by test/integration/engine.conformance.ts): configs and secrets keep their first
// content under a name and cannot be removed while a service refers to them; a named volume appears when a service
// first mounts it, with the mount's labels; a network of that name already there is kept as it is.

import { SlipwayError } from '../../core/errors.js';
import type { NetworkOptions, NodeSummary, PortUse, ServiceDefinition, SwarmFileSummary, VolumeSummary } from '../../core/ports/engine.js';

type FileKind = 'config' | 'secret';
type Labels = Readonly<Record<string, string>>;

export class FakeStackObjects {
  readonly #options = new Map<string, NetworkOptions>();
  readonly #files = { config: new Map<string, { data: Buffer; labels: Labels }>(), secret: new Map<string, { data: Buffer; labels: Labels }>() };
  readonly #volumes = new Map<string, VolumeSummary>();

  constructor(
    /** The engine's networks (shared with ensureNetwork/listNetworks), by name, with their labels. */
    private readonly networks: Map<string, Labels>,
    private readonly definitions: () => ServiceDefinition[],
    readonly nodes: readonly NodeSummary[],
  ) {}

  addExternal(kind: 'network' | 'volume' | FileKind, name: string, data: Buffer): void {
    if (kind === 'network') this.networks.set(name, {});
    else if (kind === 'volume') this.#volumes.set(name, { name, driver: 'local', labels: {} });
    else this.#files[kind].set(name, { data, labels: {} });
  }

  networkOptions(name: string): NetworkOptions | null {
    return this.#options.get(name) ?? null;
  }

  forgetNetwork(name: string): void {
    this.#options.delete(name);
  }

  fileData(kind: FileKind, name: string): Buffer | null {
    return this.#files[kind].get(name)?.data ?? null;
  }

  ensureNetworkWith(name: string, labels: Labels, options: NetworkOptions): void {
    if (this.networks.has(name)) return;
    this.networks.set(name, { ...labels });
    this.#options.set(name, options);
  }

  exists(kind: 'network' | 'volume' | FileKind, name: string): boolean {
    if (kind === 'network') return this.networks.has(name);
    if (kind === 'volume') return this.#volumes.has(name);
    return this.#files[kind].has(name);
  }

  /** As the Docker adapter refuses a definition naming a config or secret that does not exist. */
  checkReferences(definition: ServiceDefinition): void {
    for (const [kind, refs] of [['config', definition.configs ?? []], ['secret', definition.secrets ?? []]] as const) {
      const missing = refs.find((r) => !this.#files[kind].has(r.name));
      if (missing) throw new SlipwayError('not_found', `${kind} ${missing.name} does not exist`, { field: missing.name });
    }
  }

  /** Swarm makes a named volume on the node when a task first mounts it, from the mount's options. */
  mounted(definition: ServiceDefinition): void {
    for (const m of definition.mounts ?? []) {
      if (m.type === 'volume' && m.source !== '' && !this.#volumes.has(m.source)) {
        this.#volumes.set(m.source, { name: m.source, driver: m.volumeOptions?.driver ?? 'local', labels: { ...(m.volumeOptions?.labels ?? {}) } });
      }
    }
  }

  ensureFile(kind: FileKind, name: string, data: Buffer, labels: Labels): void {
    if (!this.#files[kind].has(name)) this.#files[kind].set(name, { data: Buffer.from(data), labels: { ...labels } });
  }

  listFiles(kind: FileKind, labels: Labels): SwarmFileSummary[] {
    return [...this.#files[kind]].filter(([, f]) => hasLabels(f.labels, labels)).map(([name, f]) => ({ name, labels: { ...f.labels } }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  removeFile(kind: FileKind, name: string): void {
    const user = this.definitions().find((d) => (kind === 'config' ? d.configs : d.secrets)?.some((r) => r.name === name));
    if (user) throw new SlipwayError('dependency', `removing ${kind} ${name} failed: ${kind} '${name}' is in use by the following service: ${user.serviceName}`);
    this.#files[kind].delete(name);
  }

  listVolumes(labels: Labels): VolumeSummary[] {
    return [...this.#volumes.values()].filter((v) => hasLabels(v.labels, labels)).sort((a, b) => a.name.localeCompare(b.name));
  }

  removeVolume(name: string): void {
    const user = this.definitions().find((d) => d.mounts?.some((m) => m.type === 'volume' && m.source === name));
    if (user) throw new SlipwayError('dependency', `removing volume ${name} failed: volume is in use`);
    this.#volumes.delete(name);
  }

  publishedPorts(): PortUse[] {
    return this.definitions().flatMap((d) => (d.ports ?? []).filter((p) => p.published !== null)
      .map((p) => ({ serviceName: d.serviceName, published: p.published as number, protocol: p.protocol, mode: p.mode })));
  }
}

export function hasLabels(labels: Labels, wanted: Labels): boolean {
  return Object.entries(wanted).every(([k, v]) => labels[k] === v);
}
