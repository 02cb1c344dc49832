// Tests that create Swarm services or overlay networks join (or make) a single-node swarm first, as `slipway up` does:
// a fresh CI machine's engine is in none, and the order of test files must not matter.

import Dockerode from 'dockerode';
import { ensureSwarm } from '../../src/infra/swarm.js';

export async function ensureTestSwarm(docker: Dockerode = new Dockerode()): Promise<void> {
  await ensureSwarm(docker, '127.0.0.1');
}
