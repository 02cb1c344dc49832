// One step or service of the model → its plan: kind, image, environment (built-ins < pipeline < step < plugin
// settings) with secrets split out as SecretRefs, compile-time `when`, caches and built-in settings.

import { SlipwayError } from '../core/errors.js';
import { STACK_NAME } from '../core/naming.js';
import type { SecretRef, ServicePlan, StepKind, StepPlan } from '../core/plan.js';
import { cacheMount } from './cache.js';
import { DOCKER_BUILD_PLUGINS, dockerPluginPlan, pluginName } from './docker-plugin.js';
import { encodeSetting, pluginVariable, stepEnv } from './env.js';
import type { Builtin, EnvEntry, ServiceModel, Setting, StepModel } from './model.js';
import { substitute, substituteDeep, unescapeDollars, type Vars } from './substitute.js';
import { evaluateWhen, type MatchInput } from './when.js';

export interface StepContext {
  readonly input: MatchInput;
  /** Values for `${NAME}` in images, environment and settings. */
  readonly vars: Vars;
  /** Built-in variables plus the pipeline's own environment. */
  readonly pipelineEnv: Readonly<Record<string, string>>;
  readonly workspace: string;
}

export function compileStep(step: StepModel, dependsOn: readonly string[], ctx: StepContext): StepPlan {
  const when = evaluateWhen(step.when, ctx.input, 'when');
  const { environment, secrets } = environmentOf(stepEnv(ctx.pipelineEnv, step.name), step.environment, step.settings, ctx.vars);
  const caches = new Map(step.caches.map((c) => cacheMount(c.value, ctx.workspace)).map((c) => [c.path, c]));
  const b = step.builtin === null ? null : substituteBuiltin(step.builtin, ctx.vars);
  const image = step.image === null ? null : substitute(step.image.value, ctx.vars);
  const plugin = b === null && image !== null && step.settings !== null && DOCKER_BUILD_PLUGINS.has(pluginName(image))
    ? dockerPluginPlan(pluginName(image), environment, ctx.input.meta)
    : null;
  return {
    name: step.name,
    kind: plugin ? 'build' : b?.kind ?? kindOf(step, ctx.input.dialect),
    image: b !== null || plugin !== null ? null : image,
    // Commands are never substituted at compile time: the shell expands ${NAME} from the environment, where the
    // same values are, so a branch name or commit message can never be spliced into the script as code.
    commands: step.commands.map(unescapeDollars),
    entrypoint: step.entrypoint?.map(unescapeDollars) ?? null,
    environment,
    secrets,
    dependsOn,
    status: when.status,
    skip: when.skip,
    failure: step.failure,
    detach: step.detach,
    timeoutSeconds: step.timeoutSeconds,
    retry: step.retry,
    pull: step.pull,
    caches: [...caches.values()],
    build: plugin?.build ?? (b?.kind === 'build' ? b.build : null),
    publish: plugin?.publish ?? null,
    deploy: b?.kind === 'deploy' ? b.deploy : null,
    notify: b?.kind === 'notify' ? b.notify : null,
    // Built-in steps run no container of their own: limits would have nothing to apply to.
    limits: b !== null || plugin !== null ? null : step.limits,
    location: step.loc,
  };
}

/** null when the service's own `when` leaves it out of this run. */
export function compileService(service: ServiceModel, ctx: StepContext): ServicePlan | null {
  if (evaluateWhen(service.when, ctx.input, 'when').skip !== null) return null;
  const { environment, secrets } = environmentOf({ ...ctx.pipelineEnv }, service.environment, null, ctx.vars);
  return {
    name: service.name,
    image: substitute(service.image?.value ?? '', ctx.vars),
    commands: service.commands.map(unescapeDollars),
    entrypoint: service.entrypoint?.map(unescapeDollars) ?? null,
    environment,
    secrets,
    limits: service.limits,
    location: service.loc,
  };
}

/** A script step has commands or an entrypoint; Woodpecker also denies plugin status to steps with environment. */
function kindOf(step: StepModel, dialect: MatchInput['dialect']): StepKind {
  if (step.commands.length > 0 || step.entrypoint !== null) return 'commands';
  if (dialect === 'woodpecker' && step.settings === null && step.environment.length > 0) return 'commands';
  return 'plugin';
}

function environmentOf(base: Record<string, string>, env: readonly EnvEntry[], settings: readonly Setting[] | null, vars: Vars): { environment: Record<string, string>; secrets: SecretRef[] } {
  const environment = { ...base };
  const secrets = new Map<string, SecretRef>();
  const put = (name: string, value: { kind: 'plain'; value: string } | { kind: 'secret'; secret: string }): void => {
    if (value.kind === 'plain') {
      environment[name] = value.value;
      secrets.delete(name);
    } else {
      delete environment[name];
      secrets.set(name, { env: name, secret: value.secret });
    }
  };
  for (const e of env) put(e.name, e.value.kind === 'plain' ? { kind: 'plain', value: substitute(e.value.value, vars) } : e.value);
  for (const s of settings ?? []) {
    const name = pluginVariable(s.key);
    put(name, s.value.kind === 'secret' ? s.value : { kind: 'plain', value: encodeSetting(substituteDeep(s.value.data, vars)) });
  }
  return { environment, secrets: [...secrets.values()] };
}

function substituteBuiltin(b: Builtin, vars: Vars): Builtin {
  const s = (v: string): string => substitute(v, vars);
  const n = (v: string | null): string | null => (v === null ? null : s(v));
  // The linter checked these as written; a `${…}` (a commit message, a parameter) is checked once filled in.
  const path = (field: string, v: string): string => {
    const filled = s(v);
    if (v.includes('$') && (filled.startsWith('/') || filled.split('/').includes('..') || /[\u0000-\u001f\u007f]/.test(filled) || filled === '')) {
      throw new SlipwayError('invalid_input', `${field} ${JSON.stringify(filled.slice(0, 80))} (from ${v}) must be a path inside the repository`, {
        field, hint: 'fill the path from a variable that holds a relative path inside the repository',
      });
    }
    return filled;
  };
  const stack = (v: string | null): string | null => {
    const filled = n(v);
    if (filled !== null && v !== null && v.includes('$') && !STACK_NAME.test(filled)) {
      throw new SlipwayError('invalid_input', `stack ${JSON.stringify(filled.slice(0, 80))} (from ${v}) is not a valid stack name`, {
        field: 'stack', hint: 'use 1–32 characters: lowercase letters, digits and "-", starting with a letter and not ending with "-"',
      });
    }
    return filled;
  };
  switch (b.kind) {
    case 'build': {
      const { dockerfile, context, target, args, tags } = b.build;
      const subArgs = Object.fromEntries(Object.entries(args).map(([k, v]) => [k, s(v)]));
      return { kind: 'build', build: { dockerfile: path('dockerfile', dockerfile), context: path('context', context), target: n(target), args: subArgs, tags: tags.map(s) } };
    }
    case 'push':
      return b;
    case 'deploy': {
      const file = b.deploy.file === undefined ? {} : { file: b.deploy.file === null ? null : path('file', b.deploy.file) };
      return { kind: 'deploy', deploy: { stack: stack(b.deploy.stack), environment: n(b.deploy.environment), ...file } };
    }
    case 'notify':
      return { kind: 'notify', notify: { url: s(b.notify.url), message: n(b.notify.message) } };
  }
}
