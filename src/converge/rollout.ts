// Puts a release live like a runbook: start the new version, wait for health with a deadline, and on failure
// put the previous release back; Swarm's quirks stay in the Docker adapter.

import { SlipwayError, asSlipwayError } from '../core/errors.js';
import type { EventBus } from '../core/events.js';
import { appServiceName, networkName } from '../core/naming.js';
import type { EnginePort, ServiceDefinition } from '../core/ports/engine.js';
import type { RegistryPort } from '../core/ports/registry.js';
import type { Store } from '../core/ports/store.js';
import type { Release } from '../core/types.js';
import { releaseConfigEnv, type ConfigOpener } from './config-env.js';
import { waitUntilLive, type GateOptions, type GateResult, type TaskSelection } from './health-gate.js';
import { putBackService } from './put-back.js';

export interface RolloutContext {
  readonly store: Store;
  readonly bus: EventBus;
  readonly engine: EnginePort;
  readonly registry: RegistryPort;
  /** Opens the release's sealed config for its service's environment (issue 14). */
  readonly sealer: ConfigOpener;
  readonly instance: string;
  readonly rolloutTimeoutMs: number;
  readonly log: (text: string) => void;
}

export async function rollOut(release: Release, ctx: RolloutContext): Promise<void> {
  const previous = await ctx.store.liveRelease(release.app);
  let since = new Date();
  ctx.log(`--> deploying release v${release.number} (${release.image})\n`);
  ctx.bus.emit('release.deploying', { app: release.app, release: release.number, image: release.image });
  let gate: GateResult;
  try {
    const env = await releaseConfigEnv(release, ctx.store, ctx.sealer);
    const changed = await ctx.engine.deployService(definitionOf(release, ctx.instance, env), ctx.registry.credentials());
    // Unchanged spec (e.g. resuming after a restart): the tasks to judge are the ones already there.
    if (!changed) since = new Date(0);
    gate = await waitUntilLive(ctx.engine, gateOptions(release, ctx, since, previous));
  } catch (err) {
    // The engine itself failed mid-rollout: treat it like a failed gate so the previous release is put back.
    gate = { ok: false, kind: 'health_gate_failed', reason: `the engine failed during the rollout: ${asSlipwayError(err).message}` };
  }
  if (gate.ok) {
    await ctx.store.setReleaseStatus(release.id, 'live', new Date().toISOString());
    if (previous && previous.id !== release.id) {
      await ctx.store.setReleaseStatus(previous.id, release.rollbackOf === null ? 'superseded' : 'rolled_back');
    }
    ctx.log(`--> release v${release.number} is live on ${release.spec.replicas} healthy task(s)\n`);
    ctx.bus.emit('release.deployed', { app: release.app, release: release.number, image: release.image });
    return;
  }

  ctx.log(`--> release v${release.number} failed: ${gate.reason}\n`);
  ctx.bus.emit('rollout.failed', { app: release.app, release: release.number, reason: gate.reason });
  // Recorded before putting the previous release back, so even a failed rollback leaves no release "deploying".
  await ctx.store.setReleaseStatus(release.id, 'failed');
  await putBack(previous && previous.id !== release.id ? previous : null, release, ctx, gate.reason);
  throw new SlipwayError(gate.kind, `release v${release.number} did not become healthy: ${gate.reason}`, {
    hint: previous
      ? `release v${previous.number} was put back and keeps serving; see \`slipway logs ${release.app}\` for why the new version failed`
      : `nothing was live before; see \`slipway logs ${release.app}\` for why the app failed, fix it and deploy again`,
  });
}

/**
 * Slipway stopped while putting the previous release back after `failed` failed its gate (the release is already
 * recorded failed): finish putting it back rather than deploy the failed release again, then fail the run.
 */
export async function resumePutBack(failed: Release, ctx: RolloutContext): Promise<never> {
  const live = await ctx.store.liveRelease(failed.app);
  ctx.log(`--> release v${failed.number} had failed; Slipway restarted while putting the previous release back, finishing that\n`);
  await putBack(live && live.id !== failed.id ? live : null, failed, ctx, 'Slipway restarted during the rollback');
  throw new SlipwayError('health_gate_failed', `release v${failed.number} did not become healthy (Slipway restarted while rolling back)`, {
    hint: live ? `release v${live.number} is serving; see \`slipway logs ${failed.app}\` for why the new version failed` : 'nothing was live before; fix the app and deploy again',
  });
}

async function putBack(previous: Release | null, failed: Release, ctx: RolloutContext, reason: string): Promise<void> {
  // A first deploy that never went live (no previous release) is removed rather than left crash-looping.
  ctx.log(previous === null ? `--> removing the failed first deployment\n` : `--> rolling back to release v${previous.number}\n`);
  const back = await putBackService(ctx.engine, {
    serviceName: appServiceName(ctx.instance, failed.app),
    before: previous === null ? null : definitionOf(previous, ctx.instance, await releaseConfigEnv(previous, ctx.store, ctx.sealer)),
    credentials: ctx.registry.credentials(),
    gate: { tasks: taskSelection(previous ?? failed, failed), deadlineMs: ctx.rolloutTimeoutMs, onProgress: ctx.log },
  });
  if (previous === null) return;
  if (!back.ok) {
    throw new SlipwayError('health_gate_failed', `rollback to release v${previous.number} also failed: ${back.reason}`, {
      hint: `check the cluster with \`slipway status ${failed.app}\`; the release history is intact`,
    });
  }
  ctx.log(`--> release v${previous.number} is serving again\n`);
  ctx.bus.emit('release.rolled_back', { app: failed.app, from: failed.number, to: previous.number, reason });
}

/** `config`: the release's opened config; it wins over the image's ENV (Swarm's Env does), never over PORT. */
export function definitionOf(release: Release, instance: string, config: Readonly<Record<string, string>> = {}): ServiceDefinition {
  return {
    serviceName: appServiceName(instance, release.app),
    image: release.image,
    replicas: release.spec.replicas,
    env: { ...config, PORT: String(release.spec.port), ...release.spec.env },
    // The shared network the edge's service is on. One network per app (issue 12) is held back: attaching the edge's
    // container to app networks made new tasks fail with "Address already in use" (moby/moby#32634, measured here).
    network: networkName(instance),
    labels: {
      'io.slipway.instance': instance,
      'io.slipway.app': release.app,
      'io.slipway.release': String(release.number),
    },
  };
}

/**
 * Which tasks are the rollout's: those of the release's image, unless the release it replaces has the same image (a
 * config change, or a rollback to a config): then the image tells nothing apart and the service's task template does.
 */
function taskSelection(release: Release, replaced: Release | null): TaskSelection {
  return replaced !== null && replaced.id !== release.id && replaced.image === release.image ? { template: true } : { image: release.image };
}

function gateOptions(release: Release, ctx: RolloutContext, since: Date, previous: Release | null): GateOptions {
  return {
    serviceName: appServiceName(ctx.instance, release.app),
    tasks: taskSelection(release, previous),
    replicas: release.spec.replicas,
    since,
    deadlineMs: ctx.rolloutTimeoutMs,
    onProgress: ctx.log,
  };
}
