// The stack's networks, configs and secrets: created before its services, the new ones taken away again when the
// deploy is put back, and after a successful deploy the ones no service of the stack uses any more removed.
// Named volumes are Swarm's to create (per node, from the mount) and are never removed: they hold data.

import { asSlipwayError } from '../core/errors.js';
import type { EnginePort } from '../core/ports/engine.js';
import type { StackPlan } from './stack-plan.js';

type Engine = Pick<EnginePort, 'objectExists' | 'ensureNetworkWith' | 'ensureSwarmFile' | 'listSwarmFiles' | 'removeSwarmFile' | 'listNetworks' | 'removeNetwork'>;

export interface Created {
  readonly networks: string[];
  readonly files: Array<{ readonly kind: 'config' | 'secret'; readonly name: string }>;
}

export async function createObjects(plan: StackPlan, engine: Engine, secretData: ReadonlyMap<string, Buffer>, log: (t: string) => void): Promise<Created> {
  const created: Created = { networks: [], files: [] };
  const networks = plan.networks ?? [{ key: 'default', name: plan.network, external: false, options: { attachable: true, internal: false, driverOpts: {}, ipam: null }, labels: plan.labels }];
  for (const n of networks.filter((x) => !x.external)) {
    if (await engine.objectExists('network', n.name)) continue;
    await engine.ensureNetworkWith(n.name, n.labels, n.options);
    created.networks.push(n.name);
    log(`--> network ${n.name} created${n.options.driverOpts.encrypted !== undefined ? ' (encrypted)' : ''}\n`);
  }
  for (const f of (plan.files ?? []).filter((x) => !x.external)) {
    if (await engine.objectExists(f.kind, f.name)) continue;
    const data = f.kind === 'config' && f.data !== null ? Buffer.from(f.data, 'base64') : secretData.get(f.name);
    if (data === undefined) continue; // preflight has refused this already
    await engine.ensureSwarmFile(f.kind, f.name, data, f.labels);
    created.files.push({ kind: f.kind, name: f.name });
    log(`--> ${f.kind} ${f.key} created as ${f.name}\n`);
  }
  return created;
}

/** After a put-back: what this deploy created goes again (services using it are gone or put back by now). */
export async function removeCreated(created: Created, engine: Engine, log: (t: string) => void): Promise<void> {
  for (const f of created.files) await engine.removeSwarmFile(f.kind, f.name).catch((err: unknown) => log(`--> could not remove ${f.kind} ${f.name}: ${asSlipwayError(err).message}\n`));
  for (const n of created.networks) await engine.removeNetwork(n).catch((err: unknown) => log(`--> could not remove network ${n}: ${asSlipwayError(err).message}\n`));
}

/** After success: the stack's configs, secrets and networks that are no longer in the plan (old versions). */
export async function pruneObjects(plan: StackPlan, engine: Engine, log: (t: string) => void): Promise<void> {
  const wanted = new Set((plan.files ?? []).map((f) => `${f.kind}:${f.name}`));
  for (const kind of ['config', 'secret'] as const) {
    for (const f of await engine.listSwarmFiles(kind, plan.labels)) {
      if (wanted.has(`${kind}:${f.name}`)) continue;
      // One still in use (a service outside this deploy) is kept and said; the next deploy tries again.
      await engine.removeSwarmFile(kind, f.name).then(
        () => log(`--> removed ${kind} ${f.name}: no service of the stack uses it any more\n`),
        (err: unknown) => log(`--> kept ${kind} ${f.name}: ${asSlipwayError(err).message}\n`),
      );
    }
  }
  const networks = new Set([plan.network, ...(plan.networks ?? []).map((n) => n.name)]);
  for (const n of await engine.listNetworks(plan.labels)) {
    if (networks.has(n.name)) continue;
    await engine.removeNetwork(n.name).then(
      () => log(`--> removed network ${n.name}: it is no longer in the compose file\n`),
      (err: unknown) => log(`--> kept network ${n.name}: ${asSlipwayError(err).message}\n`),
    );
  }
}
