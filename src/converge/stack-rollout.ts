// Rolls out a stack like a runbook: check what can be checked before anything changes (external objects, placement,
// ports, images: tags become digests), create its networks, configs and secrets, create or update every service,
// wait until each changed one runs healthy with our own deadline (the shared gate, judging tasks by task template),
// and on failure put back what was there before (the shared put-back: services the deploy created are removed, and
// the objects it created), quoting the failing service's last log lines; on success remove the services, configs,
// secrets and networks that left the file (as `docker stack deploy --prune` does).

import { SlipwayError, asSlipwayError, type ErrorKind } from '../core/errors.js';
import type { EnginePort, ServiceDefinition } from '../core/ports/engine.js';
import type { RegistryCredentials, RegistryPort } from '../core/ports/registry.js';
import { waitUntilLive, type GateOptions } from './health-gate.js';
import { putBackService } from './put-back.js';
import { preflight } from './stack-checks.js';
import { pinImages } from './stack-images.js';
import { createObjects, pruneObjects, removeCreated } from './stack-objects.js';
import { composeNameOf, type StackPlan } from './stack-plan.js';

export interface StackDeployContext {
  readonly engine: EnginePort;
  /** Registry credentials for an image in Slipway's registry; null for any other image (see the engine port). */
  readonly credentialsFor: (image: string) => RegistryCredentials | null;
  /** For the whole stack to become healthy, and again for putting it back. */
  readonly deadlineMs: number;
  readonly pollMs?: number;
  readonly log: (text: string) => void;
  /** Slipway's registry: its images' tags become digests through it. Absent: only the engine is asked. */
  readonly registry?: Pick<RegistryPort, 'address' | 'resolveDigest'>;
  /** Secret values by Swarm name (stackPlanWithSecrets); a secret already in Swarm needs none. */
  readonly secretData?: ReadonlyMap<string, Buffer>;
}

/**
 * How the gate judges a stack service: by task template (an update often keeps the image), and a service must
 * keep running, so a task that ends (exit code 0) or a service that disappears fails it.
 */
const STACK_GATE = { tasks: { template: true }, endedFails: true, goneFails: true } as const satisfies Partial<GateOptions>;

/** One service as this deploy left it, with what is needed to put it back. */
interface Applied {
  readonly definition: ServiceDefinition;
  /** What the service ran before, or null when this deploy created it. */
  readonly before: ServiceDefinition | null;
  readonly changed: boolean;
  readonly since: Date;
}

interface Failure {
  readonly service: string;
  readonly serviceName: string;
  readonly kind: ErrorKind;
  readonly reason: string;
}

export async function deployStack(plan: StackPlan, ctx: StackDeployContext): Promise<void> {
  const { engine, log } = ctx;
  log(`--> deploying stack ${plan.name}: ${plan.services.map(composeNameOf).join(', ')}\n`);
  for (const note of plan.notes ?? []) log(`--> note: ${note}\n`);
  const secretData = ctx.secretData ?? new Map<string, Buffer>();
  // Everything that can be known up front, before anything changes.
  const { wanted } = await preflight(plan, engine, secretData);
  const images = await pinImages(plan.services.map((s) => s.image), { engine, registry: ctx.registry, log });
  const services = plan.services.map((s) => ({ ...s, image: images.get(s.image) ?? s.image }));
  const existing = await engine.listServices(plan.labels);
  const created = await createObjects(plan, engine, secretData, log);
  const applied: Applied[] = [];
  let failure: Failure | null = null;
  for (const definition of services) {
    try {
      const before = await engine.inspectDefinition(definition.serviceName);
      const since = new Date();
      const changed = await engine.deployService(definition, ctx.credentialsFor(definition.image));
      applied.push({ definition, before, changed, since });
      log(`--> ${composeNameOf(definition)}: ${before === null ? 'created' : changed ? 'updated' : 'unchanged'}\n`);
    } catch (err) {
      failure = { service: composeNameOf(definition), serviceName: definition.serviceName, kind: 'dependency', reason: `the engine refused it: ${asSlipwayError(err).message}` };
      break;
    }
  }
  const deadline = Date.now() + ctx.deadlineMs;
  for (const a of failure === null ? applied.filter((x) => x.changed) : []) {
    const name = composeNameOf(a.definition);
    const replicas = wanted.get(a.definition.serviceName) ?? a.definition.replicas;
    const gate = await waitUntilLive(engine, {
      ...STACK_GATE, serviceName: a.definition.serviceName, replicas, since: a.since,
      deadlineMs: Math.max(0, deadline - Date.now()), pollMs: ctx.pollMs, onProgress: (l) => log(`  ${name}${l.replace(/^ +/, ' ')}`),
    }).catch((err: unknown) => ({ ok: false as const, kind: 'health_gate_failed' as const, reason: `the engine failed: ${asSlipwayError(err).message}` }));
    if (!gate.ok) {
      failure = { service: name, serviceName: a.definition.serviceName, kind: gate.kind, reason: gate.reason };
      break;
    }
    log(`--> ${name} runs ${replicas} healthy task(s)\n`);
  }
  if (failure !== null) {
    log(`--> stack ${plan.name} failed: service ${failure.service}: ${failure.reason}\n`);
    // Read before the put-back removes or replaces the failing tasks.
    const lines = await lastLogLines(engine, failure.serviceName);
    const restored = await putBack(applied, ctx, wanted);
    // What this deploy created goes again (a stack that never ran leaves nothing behind); one that will not go is
    // reported, not the failure.
    if (restored.problems.length === 0) await removeCreated(created, engine, log);
    throw failed(plan, failure, restored, lines);
  }
  await prune(plan, existing.map((s) => s.serviceName), ctx);
  await pruneObjects(plan, engine, log);
  log(`--> stack ${plan.name} is live\n`);
}

/** The failing service's last lines of output, for the error (bounded: a log that does not come is no reason to wait). */
async function lastLogLines(engine: EnginePort, serviceName: string): Promise<string[]> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), 5000);
  const lines: string[] = [];
  try {
    for await (const line of engine.serviceLogs(serviceName, { follow: false, tail: 20, signal: abort.signal })) lines.push(line.replace(/\n$/, ''));
  } catch {
    // No log is no reason to fail differently.
  } finally {
    clearTimeout(timer);
  }
  return lines.slice(-20);
}

/** Services this deploy changed get their previous definition back; the ones it created are removed. */
async function putBack(applied: readonly Applied[], ctx: StackDeployContext, wanted: ReadonlyMap<string, number>): Promise<{ restored: string[]; removed: string[]; problems: string[] }> {
  const out = { restored: [] as string[], removed: [] as string[], problems: [] as string[] };
  for (const a of [...applied].reverse().filter((x) => x.changed)) {
    const name = composeNameOf(a.definition);
    // A global service has no replica count in its spec (it reads back 0): the gate waits for one task per node.
    const before = a.before?.mode === 'global' ? { ...a.before, replicas: wanted.get(a.before.serviceName) ?? 1 } : a.before;
    const back = await putBackService(ctx.engine, {
      serviceName: a.definition.serviceName,
      before,
      credentials: a.before === null ? null : ctx.credentialsFor(a.before.image),
      gate: { ...STACK_GATE, deadlineMs: ctx.deadlineMs, pollMs: ctx.pollMs },
    }).catch((err: unknown) => ({ ok: false as const, reason: asSlipwayError(err).message }));
    if (!back.ok) {
      out.problems.push(`${name}: ${back.reason}`);
    } else if (a.before === null) {
      out.removed.push(name);
    } else {
      out.restored.push(name);
      ctx.log(`--> ${name}: previous spec put back and running\n`);
    }
  }
  if (out.removed.length > 0) ctx.log(`--> removed the new service(s) ${out.removed.join(', ')}\n`);
  return out;
}

async function prune(plan: StackPlan, existing: readonly string[], ctx: StackDeployContext): Promise<void> {
  const wanted = new Set(plan.services.map((s) => s.serviceName));
  for (const name of existing.filter((n) => !wanted.has(n))) {
    await ctx.engine.removeService(name);
    ctx.log(`--> removed ${name}: it is no longer in the compose file\n`);
  }
}

function failed(plan: StackPlan, failure: Failure, back: { restored: string[]; removed: string[]; problems: string[] }, lines: readonly string[]): SlipwayError {
  const logTail = lines.length > 0 ? `\nlast log lines of ${failure.service}:\n${lines.map((l) => `  ${l}`).join('\n')}` : '';
  const what = failure.kind === 'dependency' ? 'could not be deployed' : 'did not become healthy';
  if (back.problems.length > 0) {
    return new SlipwayError('health_gate_failed', `stack ${plan.name}: service ${failure.service} ${what} (${failure.reason}), and putting the stack back failed: ${back.problems.join('; ')}${logTail}`, {
      hint: `check the services with \`docker stack ps ${plan.network}\` on the server; deploy again once fixed`,
    });
  }
  const undone = [
    back.restored.length > 0 ? `${back.restored.join(', ')} put back` : '',
    back.removed.length > 0 ? `new ${back.removed.join(', ')} removed` : '',
  ].filter(Boolean);
  return new SlipwayError(failure.kind, `stack ${plan.name}: service ${failure.service} ${what}: ${failure.reason}${logTail}`, {
    hint: `${undone.length > 0 ? `${undone.join('; ')}: ` : ''}the stack runs what it ran before; see why with \`docker service logs ${failure.serviceName}\` on the server`,
  });
}
