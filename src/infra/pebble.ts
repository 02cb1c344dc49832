// Starts Pebble, the ACME test CA, on the host: real automatic HTTPS for demos and tests without a public domain.

import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type Dockerode from 'dockerode';
import { SlipwayError } from '../core/errors.js';

const run = promisify(execFile);

export interface PebbleOptions {
  /** Folder for Pebble's listener certificate, key and config (must exist). */
  readonly dir: string;
  /** ACME directory port; default 14000. */
  readonly port?: number;
  /** Management port (issuing roots); default 15000. */
  readonly managementPort?: number;
  /** Address at which containers reach this host, e.g. the docker_gwbridge gateway; put in the listener cert. */
  readonly containerHostAddress: string;
  /** Until /dir answers; default 15 s. */
  readonly readyTimeoutMs?: number;
}

export interface Pebble {
  /** ACME directory as a container sees it: https://<containerHostAddress>:<port>/dir. */
  readonly directoryUrl: string;
  /** Self-signed cert of Pebble's own listener: what Caddy trusts via trusted_roots_pem_files. */
  readonly listenerCertPem: string;
  /** PEM of the root that signs issued certificates (new on every start): what a client trusts to verify sites. */
  fetchIssuingRoot(): Promise<string>;
  stop(): Promise<void>;
}

export async function startPebble(opts: PebbleOptions): Promise<Pebble> {
  if (isIP(opts.containerHostAddress) === 0) {
    throw new SlipwayError('invalid_input', `containerHostAddress must be an IP address, got ${JSON.stringify(opts.containerHostAddress)}`, {
      field: 'containerHostAddress',
    });
  }
  const port = opts.port ?? 14000;
  const managementPort = opts.managementPort ?? 15000;
  const certFile = join(opts.dir, 'pebble-listener.pem');
  const keyFile = join(opts.dir, 'pebble-listener.key');
  const configFile = join(opts.dir, 'pebble-config.json');
  await run('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', keyFile, '-out', certFile, '-days', '30', '-subj', '/CN=Pebble listener',
    '-addext', `subjectAltName=IP:127.0.0.1,IP:${opts.containerHostAddress},DNS:localhost`,
  ]);
  const config = {
    pebble: {
      listenAddress: `0.0.0.0:${port}`, // containers reach it through a bridge gateway, not 127.0.0.1
      // Only Slipway reads it (the root to publish). It also hands out the CA's private keys (/root-keys/0), so
      // anyone who reached it could forge certificates the local CA's users trust: loopback only (issue 12).
      managementListenAddress: `127.0.0.1:${managementPort}`,
      certificate: certFile,
      privateKey: keyFile,
      httpPort: 80,
      tlsPort: 443,
      ocspResponderURL: '',
      externalAccountBindingRequired: false,
    },
  };
  await writeFile(configFile, `${JSON.stringify(config, null, 2)}\n`);

  // A Slipway that was killed (not stopped) leaves its Pebble running on these ports: end it first.
  const pidFile = join(opts.dir, 'pebble.pid');
  await stopStalePebble(pidFile);
  const child = spawn('pebble', ['-config', configFile], {
    // Validation always succeeds (no public DNS here), without Pebble's random sleeps and nonce rejections.
    env: { ...process.env, PEBBLE_VA_ALWAYS_VALID: '1', PEBBLE_VA_NOSLEEP: '1', PEBBLE_WFE_NONCEREJECT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = captureOutput(child);
  if (child.pid !== undefined) await writeFile(pidFile, `${child.pid}\n`);
  const ca = await readFile(certFile, 'utf8');
  await waitUntilAnswering(child, output, `https://127.0.0.1:${port}/dir`, ca, opts.readyTimeoutMs ?? 15_000);

  return {
    directoryUrl: `https://${hostForUrl(opts.containerHostAddress)}:${port}/dir`,
    listenerCertPem: certFile,
    fetchIssuingRoot: () => httpsGet(`https://127.0.0.1:${managementPort}/roots/0`, ca),
    stop: () => stopChild(child),
  };
}

async function stopStalePebble(pidFile: string): Promise<void> {
  const pid = Number.parseInt(await readFile(pidFile, 'utf8').catch(() => ''), 10);
  if (!Number.isInteger(pid) || pid <= 1) return;
  // Only a process that is really a pebble: pids are reused.
  const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  if (!cmdline.split('\0')[0]?.endsWith('pebble')) return;
  process.kill(pid, 'SIGTERM');
  for (let i = 0; i < 50 && (await readFile(`/proc/${pid}/cmdline`, 'utf8').then(() => true, () => false)); i++) {
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function waitUntilAnswering(child: ChildProcess, output: () => string, url: string, ca: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) {
      throw new SlipwayError('dependency', `pebble exited (${child.exitCode ?? child.signalCode}): ${output()}`, {
        hint: 'is it installed (apt-get install pebble) and are its ports free?',
      });
    }
    try {
      await httpsGet(url, ca);
      return;
    } catch (err) {
      if (Date.now() > deadline) {
        await stopChild(child);
        throw new SlipwayError('dependency', `pebble did not answer ${url} within ${timeoutMs} ms: ${output()}`, { cause: err });
      }
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

function httpsGet(url: string, ca: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca, timeout: 5_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        if (res.statusCode === 200) resolve(body);
        else reject(new SlipwayError('dependency', `GET ${url}: HTTP ${res.statusCode ?? '?'}: ${body.slice(0, 500)}`));
      });
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url} timed out`)));
    req.on('error', reject);
    req.end();
  });
}

/** Keeps the last few KB of Pebble's output for error messages. */
function captureOutput(child: ChildProcess): () => string {
  let text = '';
  const keep = (c: Buffer): void => {
    text = (text + c.toString('utf8')).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  // A missing binary is reported as an 'error' event (pid stays undefined), never as an exit.
  child.on('error', (err) => keep(Buffer.from(`${err.message}\n`)));
  return () => text.trim();
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

function hostForUrl(ip: string): string {
  return isIP(ip) === 6 ? `[${ip}]` : ip;
}

/** The slice of dockerode that finding (or making) docker_gwbridge needs. */
export type GatewayDocker = Pick<Dockerode, 'getNetwork' | 'createNetwork'>;

const GWBRIDGE = 'docker_gwbridge';

/**
 * Gateway of docker_gwbridge: where a container on an overlay network reaches a process listening on the host.
 * dockerd makes that bridge only when the first container joins an overlay network, so on a fresh swarm it is not
 * there yet: it is then created with the options dockerd itself would use (Docker's documented way to pre-create it).
 */
export async function dockerHostGateway(docker: GatewayDocker): Promise<string> {
  let info = await inspectGwbridge(docker);
  if (info === null) {
    await docker
      .createNetwork({
        Name: GWBRIDGE,
        Driver: 'bridge',
        CheckDuplicate: true,
        Options: {
          'com.docker.network.bridge.name': GWBRIDGE,
          'com.docker.network.bridge.enable_icc': 'false',
          'com.docker.network.bridge.enable_ip_masquerade': 'true',
        },
      })
      .catch((err: unknown) => {
        // Another container joining an overlay network at the same moment made it first: use that one.
        if ((err as { statusCode?: unknown }).statusCode !== 409) throw gatewayError(`cannot create network ${GWBRIDGE}`, err);
      });
    info = await inspectGwbridge(docker);
    if (info === null) throw new SlipwayError('dependency', `network ${GWBRIDGE} is missing right after it was created`);
  }
  const configs = (info as { IPAM?: { Config?: unknown } } | null)?.IPAM?.Config;
  const gateway = Array.isArray(configs)
    ? configs.map((c: unknown) => (c as { Gateway?: unknown } | null)?.Gateway).find((g): g is string => typeof g === 'string' && isIP(g) === 4)
    : undefined;
  if (gateway === undefined) throw new SlipwayError('dependency', `network ${GWBRIDGE} has no IPv4 gateway`);
  return gateway;
}

async function inspectGwbridge(docker: GatewayDocker): Promise<unknown> {
  try {
    return await docker.getNetwork(GWBRIDGE).inspect();
  } catch (err) {
    if ((err as { statusCode?: unknown }).statusCode === 404) return null;
    throw gatewayError(`cannot inspect network ${GWBRIDGE}`, err);
  }
}

function gatewayError(doing: string, err: unknown): SlipwayError {
  return new SlipwayError('dependency', `${doing}: ${err instanceof Error ? err.message : String(err)}`, {
    hint: 'check that dockerd is running and reachable',
    cause: err,
  });
}
