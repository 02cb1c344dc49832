// RegistryPort over the distribution HTTP API (/v2): resolves tags to digests with Basic auth and timeouts.

import { SlipwayError } from '../../core/errors.js';
import { withDeadline } from '../../core/deadline.js';
import type { RegistryCredentials, RegistryPort } from '../../core/ports/registry.js';
import type { Secret } from '../../core/secret.js';
import { DIGEST, checkImageName, credentialsRefused, imageNotFound } from './names.js';

/** Manifest types a tag may point at; without them the registry may answer with a converted, different digest. */
export const MANIFEST_ACCEPT = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

export interface DistributionRegistryOptions {
  /** host:port as it appears in image references, e.g. 127.0.0.1:5000. */
  readonly address: string;
  readonly username: string;
  readonly password: Secret;
  /** Plain HTTP is only for a registry bound to loopback; default http. */
  readonly scheme?: 'http' | 'https';
  /** Per request; default 10 s. */
  readonly timeoutMs?: number;
}

export class DistributionRegistry implements RegistryPort {
  readonly address: string;
  readonly #username: string;
  readonly #password: Secret;
  readonly #base: string;
  readonly #timeoutMs: number;

  constructor(options: DistributionRegistryOptions) {
    this.address = options.address;
    this.#username = options.username;
    this.#password = options.password;
    this.#base = `${options.scheme ?? 'http'}://${options.address}`;
    this.#timeoutMs = options.timeoutMs ?? 10_000;
  }

  credentials(): RegistryCredentials {
    return { serveraddress: this.address, username: this.#username, password: this.#password };
  }

  /** Resolves when GET /v2/ answers 200 with our credentials; SlipwayError dependency otherwise. */
  async ping(): Promise<void> {
    const response = await this.#request('GET', '/v2/', {});
    await response.body?.cancel();
    if (response.status === 200) return;
    throw this.#statusError(response.status, 'the registry API check (GET /v2/)');
  }

  async resolveDigest(repository: string, tag: string): Promise<string> {
    checkImageName(repository, tag);
    const ref = `${repository}:${tag}`;
    const response = await this.#request('HEAD', `/v2/${repository}/manifests/${tag}`, { Accept: MANIFEST_ACCEPT });
    if (response.status === 404) {
      throw imageNotFound(repository, tag, this.address);
    }
    if (response.status !== 200) throw this.#statusError(response.status, `looking up ${ref}`);
    const digest = response.headers.get('docker-content-digest');
    if (digest === null || !DIGEST.test(digest)) {
      throw new SlipwayError('dependency', `registry at ${this.address} answered ${ref} without a sha256 Docker-Content-Digest`, {
        hint: 'the registry must be a CNCF distribution (v2) registry',
      });
    }
    return digest;
  }

  async #request(method: 'GET' | 'HEAD', path: string, headers: Record<string, string>): Promise<Response> {
    const auth = Buffer.from(`${this.#username}:${this.#password.reveal()}`).toString('base64');
    try {
      return await withDeadline(this.#timeoutMs, (signal) => fetch(`${this.#base}${path}`, {
        method,
        headers: { ...headers, Authorization: `Basic ${auth}` },
        redirect: 'error',
        signal,
      }));
    } catch (err) {
      const timedOut = err instanceof DOMException && err.name === 'TimeoutError';
      // The cause is kept (no credentials in it: they travel in a header, never in the URL).
      throw new SlipwayError(
        'dependency',
        timedOut
          ? `registry at ${this.address} did not answer within ${this.#timeoutMs} ms`
          : `registry at ${this.address} is unreachable: ${describe(err)}`,
        { hint: 'check that the registry container is running (docker ps) and its port is bound', cause: err },
      );
    }
  }

  #statusError(status: number, doing: string): SlipwayError {
    if (status === 401) return credentialsRefused(this.address);
    return new SlipwayError('dependency', `registry at ${this.address} answered HTTP ${status} to ${doing}`, {
      hint: status === 503 ? 'the registry reports its storage as unhealthy: check its disk' : 'see the registry container logs',
    });
  }
}

function describe(err: unknown): string {
  const cause = err instanceof Error && err.cause instanceof Error ? err.cause : err;
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return typeof code === 'string' ? code : cause.message;
  }
  return String(cause);
}
