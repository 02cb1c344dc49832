// The Docker adapter's part for stack objects: networks with options, configs and secrets, volumes, nodes, ports
// in use, image lookups and whether the kernel can do Swarm's routing mesh (Engine API through dockerode).

import type Dockerode from 'dockerode';
import { access } from 'node:fs/promises';
import { SlipwayError } from '../../core/errors.js';
import type { ImageLookup, NetworkOptions, NodeSummary, PortUse, SwarmFileSummary, VolumeSummary } from '../../core/ports/engine.js';
import type { RegistryCredentials } from '../../core/ports/registry.js';
import { asRecord } from './convert.js';

type FileKind = 'config' | 'secret';

export class DockerStackObjects {
  constructor(private readonly docker: Dockerode) {}

  async ensureNetworkWith(name: string, labels: Readonly<Record<string, string>>, o: NetworkOptions): Promise<void> {
    if (await this.objectExists('network', name)) return;
    try {
      await this.docker.createNetwork({
        Name: name, Driver: 'overlay', Attachable: o.attachable, Internal: o.internal, Options: { ...o.driverOpts }, Labels: { ...labels },
        ...(o.ipam ? { IPAM: { Driver: o.ipam.driver ?? 'default', Config: o.ipam.subnets.map((Subnet) => ({ Subnet })) } } : {}),
      });
    } catch (err) {
      if (statusOf(err) !== 409) throw new SlipwayError('dependency', `creating network ${name} failed: ${messageOf(err)}`, { cause: err });
    }
  }

  async objectExists(kind: 'network' | 'volume' | 'config' | 'secret', name: string): Promise<boolean> {
    if (kind === 'volume') return this.docker.getVolume(name).inspect().then(() => true, (err: unknown) => notFound(err, `volume ${name}`));
    // The name filters match substrings (and prefixes): only an exact name counts.
    const filters = { filters: { name: [name] } };
    const found = kind === 'network' ? await this.docker.listNetworks(filters) : await this.#list(kind, filters);
    return (found as unknown[]).some((x) => nameOf(x) === name);
  }

  async ensureSwarmFile(kind: FileKind, name: string, data: Buffer, labels: Readonly<Record<string, string>>): Promise<void> {
    if (await this.objectExists(kind, name)) return;
    const spec = { Name: name, Labels: { ...labels }, Data: data.toString('base64') };
    try {
      await (kind === 'config' ? this.docker.createConfig(spec) : this.docker.createSecret(spec));
    } catch (err) {
      if (statusOf(err) !== 409) throw new SlipwayError('dependency', `creating ${kind} ${name} failed: ${messageOf(err)}`, { cause: err });
    }
  }

  async listSwarmFiles(kind: FileKind, labels: Readonly<Record<string, string>>): Promise<SwarmFileSummary[]> {
    const found = (await this.#list(kind, { filters: { label: labelFilter(labels) } })) as unknown[];
    return found.map((x) => ({ name: nameOf(x), labels: stringMap(asRecord(asRecord(x).Spec).Labels) })).sort((a, b) => a.name.localeCompare(b.name));
  }

  async removeSwarmFile(kind: FileKind, name: string): Promise<void> {
    const found = ((await this.#list(kind, { filters: { name: [name] } })) as unknown[]).find((x) => nameOf(x) === name);
    if (found === undefined) return;
    const id = String(asRecord(found).ID ?? '');
    try {
      await (kind === 'config' ? this.docker.getConfig(id).remove() : this.docker.getSecret(id).remove());
    } catch (err) {
      if (statusOf(err) === 404) return;
      throw new SlipwayError('dependency', `removing ${kind} ${name} failed: ${messageOf(err)}`, { cause: err });
    }
  }

  async listVolumes(labels: Readonly<Record<string, string>>): Promise<VolumeSummary[]> {
    const out = asRecord(await this.docker.listVolumes({ filters: { label: labelFilter(labels) } }));
    return (Array.isArray(out.Volumes) ? out.Volumes : []).map(asRecord)
      .map((v) => ({ name: String(v.Name ?? ''), driver: String(v.Driver ?? ''), labels: stringMap(v.Labels) }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  async removeVolume(name: string): Promise<void> {
    await this.docker.getVolume(name).remove().catch((err: unknown) => {
      if (statusOf(err) === 404) return;
      throw new SlipwayError('dependency', `removing volume ${name} failed: ${messageOf(err)}`, { cause: err });
    });
  }

  async listNodes(): Promise<NodeSummary[]> {
    const nodes = (await this.docker.listNodes()) as unknown[];
    return nodes.map((raw) => {
      const n = asRecord(raw);
      const spec = asRecord(n.Spec);
      const desc = asRecord(n.Description);
      const platform = asRecord(desc.Platform);
      return {
        id: String(n.ID ?? ''),
        hostname: String(desc.Hostname ?? ''),
        role: spec.Role === 'manager' ? 'manager' : 'worker',
        availability: String(spec.Availability ?? 'active'),
        state: String(asRecord(n.Status).State ?? 'unknown'),
        labels: stringMap(spec.Labels),
        engineLabels: stringMap(asRecord(desc.Engine).Labels),
        os: String(platform.OS ?? ''),
        arch: String(platform.Architecture ?? ''),
      };
    });
  }

  async publishedPorts(): Promise<PortUse[]> {
    const services = (await this.docker.listServices()) as unknown[];
    return services.flatMap((raw) => {
      const s = asRecord(raw);
      const serviceName = String(asRecord(s.Spec).Name ?? '');
      // Endpoint.Ports holds the ports Swarm assigned too; the spec's only those asked for.
      const ports = asRecord(s.Endpoint).Ports ?? asRecord(asRecord(s.Spec).EndpointSpec).Ports;
      return (Array.isArray(ports) ? ports : []).map(asRecord).filter((p) => typeof p.PublishedPort === 'number' && p.PublishedPort > 0).map((p) => ({
        serviceName, published: p.PublishedPort as number, protocol: p.Protocol === 'udp' ? 'udp' as const : 'tcp' as const,
        mode: p.PublishMode === 'host' ? 'host' as const : 'ingress' as const,
      }));
    });
  }

  async resolveImage(image: string, credentials: RegistryCredentials | null): Promise<ImageLookup> {
    const local = await this.docker.getImage(image).inspect().then(() => true, () => false);
    const pinned = /@(sha256:[0-9a-f]{64})$/.exec(image);
    if (pinned) return { digest: pinned[1] ?? null, local, reason: null };
    try {
      // The daemon asks the image's registry (what `docker service create` does client-side), bounded in time.
      const info = await withTimeout(this.docker.getImage(image).distribution(
        credentials ? { authconfig: { username: credentials.username, password: credentials.password.reveal(), serveraddress: credentials.serveraddress } } : {},
      ), 15_000);
      const digest = asRecord(asRecord(info).Descriptor).digest;
      return typeof digest === 'string' ? { digest, local, reason: null } : { digest: null, local, reason: 'the registry gave no digest' };
    } catch (err) {
      return { digest: null, local, reason: messageOf(err) };
    }
  }

  /**
   * Swarm's ingress ports and VIPs need the kernel's IPVS. dockerd runs on this host (unix socket), so its kernel is
   * ours: IPVS is there when loaded (/proc/net/ip_vs), or loadable or built in.
   */
  async routingMesh(): Promise<boolean> {
    const release = await import('node:os').then((os) => os.release());
    for (const path of ['/proc/net/ip_vs', '/sys/module/ip_vs', `/lib/modules/${release}/kernel/net/netfilter/ipvs`]) {
      if (await access(path).then(() => true, () => false)) return true;
    }
    return false;
  }

  #list(kind: FileKind, options: { filters: Record<string, string[]> }): Promise<unknown[]> {
    return (kind === 'config' ? this.docker.listConfigs(options) : this.docker.listSecrets(options)) as Promise<unknown[]>;
  }
}

function nameOf(raw: unknown): string {
  const r = asRecord(raw);
  return String(r.Name ?? asRecord(r.Spec).Name ?? '');
}

function notFound(err: unknown, what: string): boolean {
  if (statusOf(err) === 404) return false;
  throw new SlipwayError('dependency', `looking up ${what} failed: ${messageOf(err)}`, { cause: err });
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([p, new Promise<T>((_r, reject) => { timer = setTimeout(() => reject(new Error(`no answer within ${ms / 1000} s`)), ms); })])
    .finally(() => clearTimeout(timer));
}

function labelFilter(labels: Readonly<Record<string, string>>): string[] {
  return Object.entries(labels).map(([k, v]) => `${k}=${v}`);
}

function stringMap(value: unknown): Record<string, string> {
  return Object.fromEntries(Object.entries(asRecord(value)).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

function statusOf(err: unknown): number | undefined {
  const code = (err as { statusCode?: unknown } | null)?.statusCode;
  return typeof code === 'number' ? code : undefined;
}

function messageOf(err: unknown): string {
  const json = (err as { json?: { message?: unknown } } | null)?.json;
  if (json && typeof json.message === 'string') return json.message;
  return err instanceof Error ? err.message : String(err);
}
