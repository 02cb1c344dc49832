// Slipway's settings: from the environment (SLIPWAY_*), overridable by `slipway up` flags. Validated once here.

import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { SlipwayError } from '../core/errors.js';
import { parseDomain, parsePort } from '../core/names.js';

export interface SlipwayConfig {
  readonly dataDir: string;
  /** Prefix of every Docker object Slipway creates; lets tests run beside a real instance. */
  readonly instance: string;
  /** Where the plain-HTTP API listens: 127.0.0.1 unless SLIPWAY_HOST says otherwise (no TLS on it). */
  readonly host: string;
  readonly port: number;
  /** Slipway's own domain (SLIPWAY_DOMAIN): the edge serves the API, git remote and webhooks on it over HTTPS. */
  readonly domain: string | null;
  /** Base URL users reach the API and git remote at. */
  readonly publicUrl: string;
  readonly registryPort: number;
  readonly httpPort: number;
  readonly httpsPort: number;
  readonly acme: {
    /** ACME directory URL; Let's Encrypt production by default. */
    readonly ca: string | null;
    readonly email: string | null;
    /** PEM the edge must trust to talk to the ACME server (only for private CAs such as Pebble). */
    readonly caRootFile: string | null;
    /** Start Pebble, the ACME test CA, on this machine and use it (demo and tests without a public domain). */
    readonly local: boolean;
    /** Pebble's ACME port (its management port is this + 1000). */
    readonly localPort: number;
  };
  readonly rolloutTimeoutMs: number;
  readonly dockerSocket: string;
  readonly swarmAdvertiseAddr: string;
  /** How often the scheduler looks for due cron schedules (SLIPWAY_SCHEDULER_INTERVAL_MS; tests shorten it). */
  readonly schedulerIntervalMs: number;
  /** Most runs at a time over all apps (SLIPWAY_MAX_RUNS; one per app at a time regardless). */
  readonly maxRuns: number;
  /** Private hosts an admin lets the server send requests to (SLIPWAY_OUTBOUND_ALLOW, comma-separated). */
  readonly outboundAllow: readonly string[];
}

const LETS_ENCRYPT = 'https://acme-v02.api.letsencrypt.org/directory';

export function configFromEnv(env: NodeJS.ProcessEnv, overrides: Partial<Record<string, string>> = {}): SlipwayConfig {
  const get = (key: string): string | undefined => overrides[key] ?? env[key];
  const port = parsePort(get('SLIPWAY_PORT') ?? '7070', 'SLIPWAY_PORT');
  const instance = get('SLIPWAY_INSTANCE') ?? 'slipway';
  if (!/^[a-z][a-z0-9-]{0,20}$/.test(instance)) {
    throw new SlipwayError('invalid_input', `invalid SLIPWAY_INSTANCE ${JSON.stringify(instance)}`, {
      field: 'SLIPWAY_INSTANCE',
      hint: 'use up to 21 lowercase letters, digits and "-", starting with a letter',
    });
  }
  const local = ['1', 'true', 'yes'].includes((get('SLIPWAY_LOCAL_ACME') ?? '').toLowerCase());
  const timeout = Number(get('SLIPWAY_ROLLOUT_TIMEOUT') ?? '180');
  if (!Number.isFinite(timeout) || timeout < 5) {
    throw new SlipwayError('invalid_input', 'SLIPWAY_ROLLOUT_TIMEOUT must be a number of seconds ≥ 5', { field: 'SLIPWAY_ROLLOUT_TIMEOUT' });
  }
  const schedulerInterval = Number(get('SLIPWAY_SCHEDULER_INTERVAL_MS') ?? '15000');
  if (!Number.isInteger(schedulerInterval) || schedulerInterval < 100) {
    throw new SlipwayError('invalid_input', 'SLIPWAY_SCHEDULER_INTERVAL_MS must be a whole number of milliseconds ≥ 100', { field: 'SLIPWAY_SCHEDULER_INTERVAL_MS' });
  }
  // Like a CI runner's capacity: a build or test step takes about a core, so more runs than cores only queue in the kernel.
  const maxRuns = Number(get('SLIPWAY_MAX_RUNS') ?? String(Math.max(2, availableParallelism())));
  if (!Number.isInteger(maxRuns) || maxRuns < 1 || maxRuns > 1000) {
    throw new SlipwayError('invalid_input', 'SLIPWAY_MAX_RUNS must be a whole number of runs from 1 to 1000', {
      field: 'SLIPWAY_MAX_RUNS',
      hint: 'how many runs (of different apps) may run at once; about the number of CPU cores',
    });
  }
  const domain = domainFrom(get('SLIPWAY_DOMAIN'));
  const httpsPort = parsePort(get('SLIPWAY_HTTPS_PORT') ?? '443', 'SLIPWAY_HTTPS_PORT');
  return {
    dataDir: resolve(get('SLIPWAY_DATA') ?? '/var/lib/slipway'),
    instance,
    // The plain port carries tokens in clear text: loopback only, unless an admin insists (SLIPWAY_HOST).
    host: get('SLIPWAY_HOST') ?? '127.0.0.1',
    port,
    domain,
    publicUrl: get('SLIPWAY_PUBLIC_URL') ?? (domain === null ? `http://127.0.0.1:${port}` : `https://${domain}${httpsPort === 443 ? '' : `:${httpsPort}`}`),
    registryPort: parsePort(get('SLIPWAY_REGISTRY_PORT') ?? '5000', 'SLIPWAY_REGISTRY_PORT'),
    httpPort: parsePort(get('SLIPWAY_HTTP_PORT') ?? '80', 'SLIPWAY_HTTP_PORT'),
    httpsPort,
    acme: {
      ca: get('SLIPWAY_ACME_CA') ?? (local ? null : LETS_ENCRYPT),
      email: get('SLIPWAY_ACME_EMAIL') ?? null,
      caRootFile: get('SLIPWAY_ACME_CA_ROOT') ?? null,
      local,
      localPort: parsePort(get('SLIPWAY_LOCAL_ACME_PORT') ?? '14000', 'SLIPWAY_LOCAL_ACME_PORT'),
    },
    rolloutTimeoutMs: timeout * 1000,
    dockerSocket: get('SLIPWAY_DOCKER_SOCKET') ?? '/var/run/docker.sock',
    swarmAdvertiseAddr: get('SLIPWAY_SWARM_ADDR') ?? '127.0.0.1',
    schedulerIntervalMs: schedulerInterval,
    maxRuns,
    outboundAllow: (get('SLIPWAY_OUTBOUND_ALLOW') ?? '').split(',').map((h) => h.trim().toLowerCase()).filter(Boolean),
  };
}

function domainFrom(value: string | undefined): string | null {
  if (value === undefined || value === '') return null;
  try {
    return parseDomain(value);
  } catch (err) {
    throw new SlipwayError('invalid_input', `invalid SLIPWAY_DOMAIN ${JSON.stringify(value)}`, {
      field: 'SLIPWAY_DOMAIN',
      hint: 'the host name users and forges reach Slipway at, e.g. "deploy.example.com" (DNS pointing at this server); no scheme or port',
      cause: err,
    });
  }
}
