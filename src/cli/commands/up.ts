// `slipway up`: starts Slipway and everything it needs on this machine, deploys the sample app, keeps serving.

import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { configFromEnv } from '../../api/config.js';
import { startSlipway, type RunningSlipway } from '../../api/platform.js';
import { SlipwayError } from '../../core/errors.js';
import { Secret } from '../../core/secret.js';
import type { CliIO } from '../command.js';
import { saveCliConfig } from '../config.js';
import { localCommand, type FlagSpec } from '../define.js';
import { packDirectory } from '../tarball.js';

const FLAG_TO_ENV = {
  data: 'SLIPWAY_DATA',
  port: 'SLIPWAY_PORT',
  instance: 'SLIPWAY_INSTANCE',
  'public-url': 'SLIPWAY_PUBLIC_URL',
  'registry-port': 'SLIPWAY_REGISTRY_PORT',
  'http-port': 'SLIPWAY_HTTP_PORT',
  'https-port': 'SLIPWAY_HTTPS_PORT',
  'acme-ca': 'SLIPWAY_ACME_CA',
  'acme-email': 'SLIPWAY_ACME_EMAIL',
  'max-runs': 'SLIPWAY_MAX_RUNS',
  domain: 'SLIPWAY_DOMAIN',
  host: 'SLIPWAY_HOST',
} as const;

const ENV_FLAGS = Object.fromEntries(Object.keys(FLAG_TO_ENV).map((k) => [k, { type: 'string' }])) as Record<keyof typeof FLAG_TO_ENV, FlagSpec>;

export const upCommand = localCommand({
  path: 'up',
  summary: 'start Slipway (Docker, Swarm, registry, HTTPS edge, API) on this machine',
  usage: `usage: slipway up [--local-acme] [--sample-domain D | --no-sample] [--data DIR] [--port N] ...

Starts everything Slipway needs on this machine — the Docker engine (installed if missing), a single-node
Swarm, a private registry with generated credentials, the Caddy edge on ports 80/443, and the Slipway API with
its git remote — then deploys the bundled sample app and keeps serving until interrupted.

  --local-acme          get certificates from Pebble, a local ACME test CA (for machines without a public
                        domain); clients trust <data>/local-ca.pem
  --sample-domain D     domain of the sample app (default hello.slipway.test); --no-sample skips it
  --data DIR            state folder (default /var/lib/slipway)        env SLIPWAY_DATA
  --domain D            Slipway's own domain: the edge serves the API, git remote and webhooks on
                        https://D/ with a certificate (DNS must point here)   env SLIPWAY_DOMAIN
  --port N              plain-HTTP API and git port (default 7070)     env SLIPWAY_PORT
  --host A              address of that port (default 127.0.0.1: tokens travel in clear text on it)
  --http-port/--https-port N  edge ports (default 80/443)
  --registry-port N     registry port on 127.0.0.1 (default 5000)
  --acme-ca URL, --acme-email E   ACME directory (default Let's Encrypt) and account e-mail
  --instance NAME       prefix of the Docker objects Slipway creates (default slipway)
  --max-runs N          runs at a time over all apps (default: CPU cores, at least 2)   env SLIPWAY_MAX_RUNS
`,
  args: [],
  flags: { ...ENV_FLAGS, 'local-acme': { type: 'boolean' }, 'sample-domain': { type: 'string' }, 'no-sample': { type: 'boolean' } },
  async run({ flags: values, io }) {
    const overrides: Record<string, string> = {};
    for (const [flag, env] of Object.entries(FLAG_TO_ENV)) {
      const v = (values as Record<string, unknown>)[flag];
      if (typeof v === 'string') overrides[env] = v;
    }
    if (values['local-acme']) overrides.SLIPWAY_LOCAL_ACME = '1';
    const config = configFromEnv(io.env, overrides);
    const say = (line: string) => void io.stdout.write(`slipway: ${line}\n`);
    const slipway = await startSlipway(config, say);
    say(`API and git remote at ${slipway.url}`);
    if (slipway.firstToken) {
      const file = await saveCliConfig(io, { url: slipway.url, token: new Secret(slipway.firstToken) });
      io.stdout.write(`\nOwner token (shown only this once; saved for the CLI in ${file}):\n\n  ${slipway.firstToken}\n\n` +
        `Add users with "slipway users add", scoped tokens with "slipway tokens create"; replace this one with "slipway tokens rotate 1".\n\n`);
    }
    if (!values['no-sample']) await deploySample(slipway, values['sample-domain'] ?? 'hello.slipway.test', io, config.httpsPort);
    say('ready; press Ctrl-C to stop (apps keep running)');
    await untilSignal();
    say('stopping');
    await slipway.stop(false);
    return 0;
  },
});

async function deploySample(slipway: RunningSlipway, domain: string, io: CliIO, httpsPort: number): Promise<void> {
  const existing = await slipway.store.getApp('hello');
  if (existing && (await slipway.store.liveRelease('hello'))) {
    io.stdout.write(`slipway: sample app already live at https://${existing.domain}/\n`);
    return;
  }
  if (!existing) await slipway.apps.create({ name: 'hello', domain });
  const source = await packDirectory(sampleDir());
  const run = await slipway.triggers.upload(await slipway.apps.get('hello'), Readable.from([source]), 'sample');
  const off = slipway.bus.on('run.log', (e) => {
    if (e.runId === run.id) io.stdout.write(e.text);
  });
  const finished = await new Promise<{ status: string; message?: string }>((resolveRun) => {
    const stop = slipway.bus.on('run.finished', (e) => {
      if (e.runId !== run.id) return;
      stop();
      resolveRun({ status: e.status, ...(e.error ? { message: e.error.message } : {}) });
    });
  });
  off();
  if (finished.status !== 'succeeded') {
    throw new SlipwayError('health_gate_failed', `the sample app did not deploy: ${finished.message ?? finished.status}`);
  }
  const port = httpsPort === 443 ? '' : `:${httpsPort}`;
  const ca = slipway.localCaFile ? ` --cacert ${slipway.localCaFile}` : '';
  io.stdout.write(`\nThe sample app is live. Try:\n\n  curl${ca} --resolve ${domain}:${httpsPort}:127.0.0.1 https://${domain}${port}/\n\n`);
}

function sampleDir(): string {
  // Works from src/ (tsx) and from dist/src/ (compiled).
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'examples', 'hello');
    if (existsSync(join(candidate, 'Dockerfile'))) return candidate;
    dir = resolve(dir, '..');
  }
  throw new SlipwayError('not_found', 'the bundled sample app (examples/hello) is missing', { hint: 'run from a full checkout or use --no-sample' });
}

function untilSignal(): Promise<void> {
  return new Promise((resolveSignal) => {
    process.once('SIGINT', () => resolveSignal());
    process.once('SIGTERM', () => resolveSignal());
  });
}
