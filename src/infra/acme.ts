// Where the edge gets certificates: a real ACME CA (Let's Encrypt by default, or one the admin names), or Pebble,
// the ACME test CA, started on this machine for demos and tests without a public domain.
//
// Pebble keeps nothing across its restarts: every start makes a new root and forgets every account. So that a
// restart of Slipway (which restarts Pebble) breaks neither old nor new sites (issue 12):
// - the published bundle (local-ca.pem) keeps the earlier roots beside the new one, so certificates issued before
//   still verify;
// - Caddy's stored ACME accounts are removed (Pebble no longer knows them: "accountDoesNotExist") and the directory
//   URL carries this start's id, so the edge reloads its issuer and registers a new account for new certificates.

import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type Dockerode from 'dockerode';
import type { AcmeSettings } from '../adapters/caddy/config-types.js';
import { edgeContainerPath } from '../adapters/caddy/service-spec.js';
import { dockerHostGateway, startPebble, type Pebble } from './pebble.js';

export interface AcmeChoice {
  readonly ca: string | null;
  readonly email: string | null;
  readonly caRootFile: string | null;
  readonly local: boolean;
  readonly localPort: number;
}

export interface EdgeAcme {
  readonly acme: AcmeSettings;
  readonly pebble: Pebble | null;
  /** The bundle users trust to verify sites when the local CA is used. */
  readonly localCaFile: string | null;
}

/** How many earlier local roots the bundle keeps (one per Pebble start). */
const KEPT_ROOTS = 20;

export async function edgeAcme(choice: AcmeChoice, paths: { dataDir: string; edgeDir: string; edgeDataDir: string }, docker: Dockerode, say: (line: string) => void): Promise<EdgeAcme> {
  if (!choice.local) {
    const trusted: string[] = [];
    if (choice.caRootFile) {
      await copyFile(choice.caRootFile, join(paths.edgeDir, 'acme-ca.pem'));
      trusted.push(edgeContainerPath('acme-ca.pem'));
    }
    const acme = {
      ...(choice.ca ? { ca: choice.ca } : {}),
      ...(choice.email ? { email: choice.email } : {}),
      ...(trusted.length ? { trustedRootsPemFiles: trusted } : {}),
    };
    return { acme, pebble: null, localCaFile: null };
  }
  const dir = join(paths.dataDir, 'pebble');
  await mkdir(dir, { recursive: true });
  say('starting Pebble, the local ACME test CA (certificates are trusted only with its root)');
  const pebble = await startPebble({
    dir,
    port: choice.localPort,
    managementPort: choice.localPort + 1000,
    containerHostAddress: await dockerHostGateway(docker),
  });
  await copyFile(pebble.listenerCertPem, join(paths.edgeDir, 'acme-ca.pem'));
  const localCaFile = join(paths.dataDir, 'local-ca.pem');
  const earlier = await readFile(localCaFile, 'utf8').catch(() => '');
  await writeFile(localCaFile, mergeRoots(earlier, await pebble.fetchIssuingRoot()));
  // Accounts live under <storage>/acme/<issuer>/users; certificates (kept) under <storage>/certificates.
  await rm(join(paths.edgeDataDir, 'caddy', 'acme'), { recursive: true, force: true });
  const start = randomBytes(6).toString('hex');
  return {
    acme: {
      // Pebble ignores the query; Caddy keys its storage by host and path, so only the config differs: one reload.
      ca: `${pebble.directoryUrl}?start=${start}`,
      trustedRootsPemFiles: [edgeContainerPath('acme-ca.pem')],
      ...(choice.email ? { email: choice.email } : {}),
    },
    pebble,
    localCaFile,
  };
}

/** The PEM certificates of `earlier` and `root`, each once, the newest last, at most KEPT_ROOTS of them. */
export function mergeRoots(earlier: string, root: string): string {
  const blocks = (text: string): string[] => text.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
  const fresh = blocks(root);
  const kept = blocks(earlier).filter((b) => !fresh.includes(b));
  return `${[...kept, ...fresh].slice(-KEPT_ROOTS).join('\n')}\n`;
}
