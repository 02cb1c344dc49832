// Single-node Swarm by default: initialise it if this engine is not part of one, and create Slipway's network.

import type Dockerode from 'dockerode';
import { SlipwayError } from '../core/errors.js';

export async function ensureSwarm(docker: Dockerode, advertiseAddr: string): Promise<void> {
  const info = (await docker.info()) as { Swarm?: { LocalNodeState?: string; ControlAvailable?: boolean } };
  const state = info.Swarm?.LocalNodeState;
  if (state === 'active') {
    if (!info.Swarm?.ControlAvailable) {
      throw new SlipwayError('dependency', 'this Docker engine is a Swarm worker, not a manager', {
        hint: 'run Slipway on a manager node (`docker node promote`)',
      });
    }
    return;
  }
  await docker.swarmInit({ ListenAddr: '0.0.0.0:2377', AdvertiseAddr: advertiseAddr });
}

/** The attachable overlay network that the edge and all app services share. */
export async function ensureOverlayNetwork(docker: Dockerode, name: string): Promise<void> {
  const existing = (await docker.listNetworks({ filters: { name: [name] } })) as Array<{ Name: string; Driver: string }>;
  const found = existing.find((n) => n.Name === name);
  if (found) {
    if (found.Driver !== 'overlay') {
      throw new SlipwayError('conflict', `network ${name} exists but is not an overlay network`, {
        hint: `remove it (docker network rm ${name}) or choose another SLIPWAY_INSTANCE`,
      });
    }
    return;
  }
  await docker.createNetwork({ Name: name, Driver: 'overlay', Attachable: true, Labels: { 'io.slipway.instance': name } });
}
