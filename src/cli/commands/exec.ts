// `slipway exec [file]`: runs this directory's pipeline on the local Docker engine as the server would, to try it before pushing.

import { randomInt } from 'node:crypto';
import { basename } from 'node:path';
import { SlipwayError } from '../../core/errors.js';
import { parseBranch, parseSecretName } from '../../core/names.js';
import type { RunMeta, RunPlan } from '../../core/plan.js';
import { compilePlan, defaultPlan, lintSource, type PipelineSource } from '../../pipeline/index.js';
import type { CliIO, Command } from '../command.js';
import { localCommand } from '../define.js';
import { paint } from '../format.js';
import { connectDocker } from '../local/docker.js';
import { execPlan, type ExecEngine } from '../local/exec-run.js';
import { LOCAL_EVENTS, localRunMeta, runGit, type Git, type LocalEvent } from '../local/git-meta.js';
import { printFindings } from '../local/findings.js';
import { describeSource, discoverLocal, readGivenFile, sourceOf } from '../local/pipeline-files.js';
import { localName } from '../local/names.js';
import { parseParams } from './runs/start.js';

/** What exec uses of the outside world; tests give fakes. */
export interface ExecDeps {
  /** The engine to run on; asked for once the plan compiled. */
  readonly connect: (io: CliIO) => Promise<ExecEngine>;
  /** Calls `handler` on Ctrl-C until the returned function is called. */
  readonly onInterrupt: (handler: () => void) => () => void;
  readonly git: Git;
  /** Names this run's networks and volumes; unique so two execs (or a server on the same engine) never share one. */
  readonly runId: () => number;
}

export const USAGE = `usage: slipway exec [file] [--event push|tag|manual] [--branch <b>] [--tag <t>]
                    [--param <NAME=value>]… [--secret <NAME=value>|<NAME>]…

Runs the pipeline of the current directory on this machine's Docker engine, the way Slipway runs it
after a push: same containers, workspace, services, secrets masking, when-filters and step order.
For trying a pipeline before pushing; no server is needed.

The source is the current directory as it is (uncommitted changes included, .git left out).
The pipeline is [file], else the one a push would use (.slipway.yml, .slipway/*.yml,
.woodpecker.yml, .woodpecker/*.yml, .drone.yml), else the default one (build, push, deploy).
Commit, branch and message come from the git checkout when there is one.
Built-in steps: build makes the image on this machine, tagged slipway-exec/<dir>:latest;
push, deploy and notify are skipped (and count as succeeded).

Containers, networks and workspaces are removed at the end, also after a failure or Ctrl-C
(caches stay, as on the server). Exits 0 when the pipeline succeeded, else with the code of
the failure (2 invalid pipeline or input, 6 a step failed or the build failed, 9 cancelled,
10 Docker unreachable).

options:
  --event <e>               push (default), tag or manual: decides the when-filters
  --branch <b>              the branch the run is for (default: the checked-out branch, else main)
  --tag <t>                 the tag of a tag event (default: the tag on HEAD)
  --param <NAME=value>      a parameter, as "slipway runs start" gives; repeat for more
  --secret <NAME=value>     a secret for from_secret; --secret NAME takes the value from the
                            environment variable NAME (keeps it out of shell history); repeat for more

Docker is reached at /var/run/docker.sock, or at DOCKER_HOST=unix:///path.
`;

export function execCommandWith(deps: ExecDeps): Command {
  return localCommand({
    path: 'exec',
    summary: "run this directory's pipeline on the local Docker engine, without pushing",
    usage: USAGE,
    args: [{ name: 'file', optional: true }],
    flags: {
      event: { type: 'string', parse: parseEvent },
      branch: { type: 'string', parse: parseBranch },
      tag: { type: 'string', parse: parseTag },
      param: { type: 'string', multiple: true, parse: parseParams },
      secret: { type: 'string', multiple: true },
    },
    run: ({ args, flags, io }) =>
      runExec(args.file, {
        event: flags.event ?? (flags.tag !== undefined ? 'tag' : 'push'),
        branch: flags.branch ?? null,
        tag: flags.tag ?? null,
        params: flags.param ?? {},
        secrets: parseSecrets(flags.secret ?? [], io.env),
      }, io, deps),
  });
}

interface ExecInput {
  readonly event: LocalEvent;
  readonly branch: string | null;
  readonly tag: string | null;
  readonly params: Record<string, string>;
  readonly secrets: Record<string, string>;
}

async function runExec(file: string | undefined, input: ExecInput, io: CliIO, deps: ExecDeps): Promise<number> {
  const { event, branch, tag, params, secrets } = input;
  const out = (text: string) => void io.stdout.write(text);

  const dir = io.cwd;
  const name = localName(dir);
  const source = file === undefined ? await discoverLocal(dir) : sourceOf(await readGivenFile(dir, file));
  const { meta, fromGit } = await localRunMeta(dir, { app: basename(dir) || name, event, branch, tag, params }, deps.git);
  const plan = source === null ? defaultPlan(meta) : compileChecked(source, meta, io);
  checkSecrets(plan, secrets);

  out(`--> exec of ${dir} (${describeRun(meta, fromGit)})\n`);
  out(source === null ? '--> no pipeline file: the default pipeline (build, push, deploy)\n' : `--> pipeline from ${describeSource(source)}\n`);
  const engine = await deps.connect(io);
  const controller = new AbortController();
  const stopListening = deps.onInterrupt(() => {
    if (controller.signal.aborted) return;
    out('--> cancelling: stopping the containers and removing the workspace (Ctrl-C again quits at once, leaving them)\n');
    controller.abort();
  });
  try {
    const outcome = await execPlan(engine, {
      dir,
      plan,
      meta,
      app: `exec-${name}`,
      runId: deps.runId(),
      repository: `slipway-exec/${name}`,
      secrets,
      signal: controller.signal,
      write: out,
      paint: (colour, text) => paint(io, io.stdout, colour, text),
    });
    if (outcome.error !== null) throw outcome.error;
    out(`succeeded${outcome.built.length > 0 ? `: built ${outcome.built.join(', ')}` : ''}\n`);
    return 0;
  } finally {
    stopListening();
  }
}

/** Lints first so problems print like `slipway lint` prints them, then compiles. */
function compileChecked(source: PipelineSource, meta: RunMeta, io: CliIO): RunPlan {
  const findings = lintSource(source, { knownSecrets: null });
  const errors = findings.filter((f) => f.severity === 'error');
  if (errors.length > 0) {
    printFindings(io, findings);
    throw new SlipwayError('invalid_input', `${describeSource(source)} has ${errors.length === 1 ? 'an error' : `${errors.length} errors`}; nothing was run`, {
      hint: 'fix the file; "slipway lint" checks it without running anything',
    });
  }
  const plan = compilePlan(source, meta, { knownSecrets: null });
  printFindings(io, plan.warnings);
  return plan;
}

function parseEvent(value: string): LocalEvent {
  const event = LOCAL_EVENTS.find((e) => e === value);
  if (event === undefined) {
    throw new SlipwayError('invalid_input', `invalid --event ${JSON.stringify(value)}`, { field: 'event', hint: `give one of ${LOCAL_EVENTS.join(', ')}` });
  }
  return event;
}

function parseTag(value: string): string {
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.\-/]{0,127}$/.test(value) || value.includes('..')) {
    throw new SlipwayError('invalid_input', `invalid tag ${JSON.stringify(value)}`, { field: 'tag', hint: 'use a plain git tag name such as v1.2.3' });
  }
  return value;
}

/** `NAME=value`, or `NAME` for the value of the environment variable NAME; a name given twice is an error. */
export function parseSecrets(pairs: readonly string[], env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const secrets = new Map<string, string>();
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    const name = parseSecretName(eq < 0 ? pair : pair.slice(0, eq), 'NAME');
    const value = eq < 0 ? env[name] : pair.slice(eq + 1);
    if (value === undefined) {
      throw new SlipwayError('invalid_input', `--secret ${name}: the environment has no variable ${name}`, {
        field: 'secret',
        hint: `export ${name}, or give the value: --secret ${name}=…`,
      });
    }
    if (secrets.has(name)) throw new SlipwayError('invalid_input', `--secret ${name} is given twice`, { field: 'secret', hint: 'give each secret once' });
    secrets.set(name, value);
  }
  return Object.fromEntries(secrets);
}

/** Every from_secret of a step or service that will run must have been given: said before anything starts. */
function checkSecrets(plan: RunPlan, secrets: Readonly<Record<string, string>>): void {
  for (const p of plan.pipelines) {
    if (p.skip !== null) continue;
    const users = [...p.services, ...p.steps.filter((s) => s.image !== null && s.skip === null)];
    for (const user of users) {
      const missing = user.secrets.find((ref) => !Object.hasOwn(secrets, ref.secret));
      if (missing !== undefined) {
        throw new SlipwayError('invalid_input', `${user.name} in pipeline ${p.name} needs secret ${missing.secret}, which was not given`, {
          field: missing.secret,
          hint: `give it with --secret ${missing.secret}=… (or --secret ${missing.secret} to take $${missing.secret})`,
        });
      }
    }
  }
}

function describeRun(meta: RunMeta, fromGit: boolean): string {
  const commit = fromGit ? `commit ${meta.commit.slice(0, 7)}` : 'not a git checkout';
  const on = meta.tag !== null ? `tag ${meta.tag}` : meta.branch !== null ? `branch ${meta.branch}` : 'no branch';
  return `${commit}, ${on}, event ${meta.event}`;
}

/** Ctrl-C cancels once; a second Ctrl-C gets node's default: the process ends at once. */
function onSigint(handler: () => void): () => void {
  let interrupted = false;
  const listener = () => {
    if (!interrupted) {
      interrupted = true;
      handler();
      return;
    }
    process.off('SIGINT', listener);
    process.kill(process.pid, 'SIGINT');
  };
  process.on('SIGINT', listener);
  return () => process.off('SIGINT', listener);
}

export const execCommand = execCommandWith({
  connect: (io) => connectDocker(io.env),
  onInterrupt: onSigint,
  git: runGit,
  runId: () => randomInt(100_000_000, 1_000_000_000),
});
