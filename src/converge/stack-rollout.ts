// Rolls out a stack like a runbook: create or update every service, wait until each changed one runs healthy with
// our own deadline (the shared gate, judging tasks by task template), and on failure put back what was there
// before (the shared put-back: services the deploy created are removed); on success remove the services that
// left the file (as `docker stack deploy --prune` does).

import { SlipwayError, asSlipwayError, type ErrorKind } from '../core/errors.js';
import type { EnginePort, ServiceDefinition } from '../core/ports/engine.js';
import type { RegistryCredentials } from '../core/ports/registry.js';
import { waitUntilLive, type GateOptions } from './health-gate.js';
import { putBackService } from './put-back.js';
import { composeNameOf, type StackPlan } from './stack-plan.js';

export interface StackDeployContext {
  readonly engine: EnginePort;
  /** Registry credentials for an image in Slipway's registry; null for any other image (see the engine port). */
  readonly credentialsFor: (image: string) => RegistryCredentials | null;
  /** For the whole stack to become healthy, and again for putting it back. */
  readonly deadlineMs: number;
  readonly pollMs?: number;
  readonly log: (text: string) => void;
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
  readonly kind: ErrorKind;
  readonly reason: string;
}

export async function deployStack(plan: StackPlan, ctx: StackDeployContext): Promise<void> {
  const { engine, log } = ctx;
  log(`--> deploying stack ${plan.name}: ${plan.services.map(composeNameOf).join(', ')}\n`);
  const existing = await engine.listServices(plan.labels);
  await engine.ensureNetwork(plan.network, plan.labels);
  const applied: Applied[] = [];
  let failure: Failure | null = null;
  for (const definition of plan.services) {
    try {
      const before = await engine.inspectDefinition(definition.serviceName);
      const since = new Date();
      const changed = await engine.deployService(definition, ctx.credentialsFor(definition.image));
      applied.push({ definition, before, changed, since });
      log(`--> ${composeNameOf(definition)}: ${before === null ? 'created' : changed ? 'updated' : 'unchanged'}\n`);
    } catch (err) {
      failure = { service: composeNameOf(definition), kind: 'dependency', reason: `the engine refused it: ${asSlipwayError(err).message}` };
      break;
    }
  }
  const deadline = Date.now() + ctx.deadlineMs;
  for (const a of failure === null ? applied.filter((x) => x.changed) : []) {
    const name = composeNameOf(a.definition);
    const gate = await waitUntilLive(engine, {
      ...STACK_GATE, serviceName: a.definition.serviceName, replicas: a.definition.replicas, since: a.since,
      deadlineMs: Math.max(0, deadline - Date.now()), pollMs: ctx.pollMs, onProgress: (l) => log(`  ${name}${l.replace(/^ +/, ' ')}`),
    }).catch((err: unknown) => ({ ok: false as const, kind: 'health_gate_failed' as const, reason: `the engine failed: ${asSlipwayError(err).message}` }));
    if (!gate.ok) {
      failure = { service: name, kind: gate.kind, reason: gate.reason };
      break;
    }
    log(`--> ${name} runs ${a.definition.replicas} healthy task(s)\n`);
  }
  if (failure !== null) {
    log(`--> stack ${plan.name} failed: service ${failure.service}: ${failure.reason}\n`);
    const restored = await putBack(applied, ctx);
    // A stack that never ran leaves nothing behind; a network that will not go is reported, not the failure.
    if (existing.length === 0 && restored.problems.length === 0) {
      await engine.removeNetwork(plan.network).catch((err: unknown) => log(`--> could not remove network ${plan.network}: ${asSlipwayError(err).message}\n`));
    }
    throw failed(plan, failure, restored);
  }
  await prune(plan, existing.map((s) => s.serviceName), ctx);
  log(`--> stack ${plan.name} is live\n`);
}

/** Services this deploy changed get their previous definition back; the ones it created are removed. */
async function putBack(applied: readonly Applied[], ctx: StackDeployContext): Promise<{ restored: string[]; removed: string[]; problems: string[] }> {
  const out = { restored: [] as string[], removed: [] as string[], problems: [] as string[] };
  for (const a of [...applied].reverse().filter((x) => x.changed)) {
    const name = composeNameOf(a.definition);
    const back = await putBackService(ctx.engine, {
      serviceName: a.definition.serviceName,
      before: a.before,
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

function failed(plan: StackPlan, failure: Failure, back: { restored: string[]; removed: string[]; problems: string[] }): SlipwayError {
  const what = failure.kind === 'dependency' ? 'could not be deployed' : 'did not become healthy';
  if (back.problems.length > 0) {
    return new SlipwayError('health_gate_failed', `stack ${plan.name}: service ${failure.service} ${what} (${failure.reason}), and putting the stack back failed: ${back.problems.join('; ')}`, {
      hint: `check the services with \`docker stack ps ${plan.network}\` on the server; deploy again once fixed`,
    });
  }
  const undone = [
    back.restored.length > 0 ? `${back.restored.join(', ')} put back` : '',
    back.removed.length > 0 ? `new ${back.removed.join(', ')} removed` : '',
  ].filter(Boolean);
  return new SlipwayError(failure.kind, `stack ${plan.name}: service ${failure.service} ${what}: ${failure.reason}`, {
    hint: `${undone.length > 0 ? `${undone.join('; ')}: ` : ''}the stack runs what it ran before; see why with \`docker service logs ${plan.services.find((s) => composeNameOf(s) === failure.service)?.serviceName ?? plan.network}\` on the server`,
  });
}
