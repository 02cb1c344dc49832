// RegistryPort for unit tests: a scriptable registry in memory that passes the same conformance suite as the real one.

import { createHash } from 'node:crypto';
import { SlipwayError } from '../../core/errors.js';
import type { RegistryCredentials, RegistryPort } from '../../core/ports/registry.js';
import { Secret } from '../../core/secret.js';
import { checkImageName, credentialsRefused, imageNotFound } from './names.js';

export interface FakeRegistryOptions {
  /** host:port; default 127.0.0.1:5000. */
  readonly address?: string;
  readonly username?: string;
  readonly password?: Secret;
  /**
   * Digests pushed by someone else, by full reference (`<address>/<repository>:<tag>`), e.g. a FakeEngine's
   * pushedDigest: the real registry knows what dockerd pushed. Consulted after publish()ed tags.
   */
  readonly pushed?: (reference: string) => string | null | undefined;
}

export class FakeRegistry implements RegistryPort {
  readonly address: string;
  /** Every resolveDigest call, in order, as `repository:tag`. */
  readonly lookups: string[] = [];
  readonly #username: string;
  readonly #password: Secret;
  readonly #pushed: (reference: string) => string | null | undefined;
  readonly #tags = new Map<string, string>();
  #reachable = true;
  #serial = 0;

  constructor(options: FakeRegistryOptions = {}) {
    this.address = options.address ?? '127.0.0.1:5000';
    this.#username = options.username ?? 'slipway';
    this.#password = options.password ?? new Secret('fake-registry-password');
    this.#pushed = options.pushed ?? (() => undefined);
  }

  credentials(): RegistryCredentials {
    return { serveraddress: this.address, username: this.#username, password: this.#password };
  }

  /**
   * Pushes repository:tag as dockerd would and returns its digest: the same content gives the same digest (content
   * addressing), and without content every publish is a new image.
   */
  publish(repository: string, tag: string, content = `image ${++this.#serial}`): string {
    checkImageName(repository, tag);
    const digest = `sha256:${createHash('sha256').update(content).digest('hex')}`;
    this.#tags.set(`${repository}:${tag}`, digest);
    return digest;
  }

  /** Points tag `to` at the image tag `from` has now, as `docker tag` + push do; returns its digest. */
  retag(repository: string, from: string, to: string): string {
    checkImageName(repository, to);
    const digest = this.#tags.get(`${repository}:${from}`);
    if (digest === undefined) throw imageNotFound(repository, from, this.address);
    this.#tags.set(`${repository}:${to}`, digest);
    return digest;
  }

  /** While down, every lookup fails as an unreachable registry does. */
  setReachable(reachable: boolean): void {
    this.#reachable = reachable;
  }

  /** The same registry reached with other credentials: refused unless the password is the right one. */
  withPassword(password: Secret): RegistryPort {
    const refused = password.reveal() !== this.#password.reveal();
    return {
      address: this.address,
      credentials: () => ({ ...this.credentials(), password }),
      resolveDigest: async (repository, tag) => {
        checkImageName(repository, tag);
        if (refused && this.#reachable) throw credentialsRefused(this.address);
        return this.resolveDigest(repository, tag);
      },
    };
  }

  async resolveDigest(repository: string, tag: string): Promise<string> {
    checkImageName(repository, tag);
    this.lookups.push(`${repository}:${tag}`);
    if (!this.#reachable) {
      throw new SlipwayError('dependency', `registry at ${this.address} is unreachable: ECONNREFUSED`, {
        hint: 'check that the registry container is running (docker ps) and its port is bound',
      });
    }
    const digest = this.#tags.get(`${repository}:${tag}`) ?? this.#pushed(`${this.address}/${repository}:${tag}`) ?? undefined;
    if (digest === undefined) throw imageNotFound(repository, tag, this.address);
    return digest;
  }
}
