// Makes a step's image available on the host according to its pull policy, with a deadline on every pull.

import { createHash } from 'node:crypto';
import type Dockerode from 'dockerode';
import { SlipwayError } from '../../core/errors.js';
import type { StepPlan } from '../../core/plan.js';
import type { RegistryCredentials } from '../../core/ports/registry.js';
import { parseBuildMessage } from './convert.js';
import { messageOf } from './docker-engine.js';

export type PullPolicy = StepPlan['pull'];

export class StepImages {
  /** One pull per image at a time: parallel steps of one image wait for the same pull. */
  readonly #pulls = new Map<string, Promise<void>>();

  constructor(
    private readonly docker: Dockerode,
    private readonly pullTimeoutMs: number,
  ) {}

  /**
   * 'if-not-exists' pulls only a missing image; 'always' pulls, and falls back to the local copy (with a warning
   * line) when the registry cannot be reached; 'never' uses the local copy only.
   */
  async ensure(image: string, policy: PullPolicy, say: (line: string) => void, logins: readonly RegistryCredentials[] = []): Promise<void> {
    const local = await this.exists(image);
    if (local && policy !== 'always') return;
    if (!local && policy === 'never') {
      throw new SlipwayError('invalid_input', `image ${image} not found on this host, and the step says pull: never`, {
        field: 'image',
        hint: 'load the image on the host, or drop `pull: never` so that Slipway pulls it',
      });
    }
    const login = loginFor(image, logins);
    say(`slipway: pulling ${image}${login ? ` as ${login.username} (image_pull_secrets)` : ''}\n`);
    try {
      await this.#pullOnce(image, login);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      if (local) {
        say(`slipway: warning: pulling ${image} failed (${reason}); using the image already on this host\n`);
        return;
      }
      throw new SlipwayError('invalid_input', `image ${image} not found: it is not on this host and pulling it failed (${reason})`, {
        field: 'image',
        hint: login
          ? `check the image name and tag, and that the login for ${registryOf(image)} in image_pull_secrets may pull it`
          : `check the image name and tag; a private registry needs a login: name a secret holding your Docker config JSON in the pipeline's image_pull_secrets`,
        cause: err,
      });
    }
  }

  async exists(image: string): Promise<boolean> {
    try {
      await this.docker.getImage(image).inspect();
      return true;
    } catch (err) {
      if (statusOf(err) === 404) return false;
      throw new SlipwayError('dependency', `dockerd could not inspect image ${image}: ${messageOf(err)}`, { cause: err });
    }
  }

  #pullOnce(image: string, login: RegistryCredentials | null): Promise<void> {
    // Joined only by callers with the same login: one without the login must not get an image it may not pull, and
    // one with a login must not fail on another's anonymous pull.
    const who = login === null ? '' : createHash('sha256').update(`${login.serveraddress}\u0000${login.username}\u0000${login.password.reveal()}`).digest('hex');
    const key = `${image}\u0000${who}`;
    const running = this.#pulls.get(key);
    if (running) return running;
    const pull = this.#pull(image, login).finally(() => this.#pulls.delete(key));
    this.#pulls.set(key, pull);
    return pull;
  }

  async #pull(image: string, login: RegistryCredentials | null): Promise<void> {
    const deadline = AbortSignal.timeout(this.pullTimeoutMs);
    const authconfig = login === null ? undefined : { username: login.username, password: login.password.reveal(), serveraddress: login.serveraddress };
    const stream = (await this.docker.pull(image, { abortSignal: deadline, ...(authconfig ? { authconfig } : {}) }).catch((err: unknown) => {
      throw new Error(deadline.aborted ? `no answer within ${this.pullTimeoutMs} ms` : messageOf(err));
    })) as NodeJS.ReadableStream;
    const failure = await new Promise<string | null>((resolve) => {
      let first: string | null = null;
      // A stalled registry keeps the progress stream open: the deadline ends it.
      const onTimeout = () => resolve(`no progress within ${this.pullTimeoutMs} ms`);
      deadline.addEventListener('abort', onTimeout, { once: true });
      this.docker.modem.followProgress(
        stream,
        (err: Error | null) => {
          deadline.removeEventListener('abort', onTimeout);
          resolve(first ?? (err ? err.message : null));
        },
        (msg: unknown) => {
          first ??= parseBuildMessage(msg).error;
        },
      );
    });
    if (failure !== null) throw new Error(failure);
    // dockerd can end a pull without an error message and still have no image (a platform mismatch, say).
    if (!(await this.exists(image))) throw new Error('the pull ended without the image');
  }
}

/**
 * The registry host of an image reference, as docker reads it: the first path part when it has a dot or a port or is
 * localhost, else Docker Hub.
 */
export function registryOf(image: string): string {
  const slash = image.indexOf('/');
  if (slash === -1) return 'docker.io';
  const first = image.slice(0, slash);
  return first.includes('.') || first.includes(':') || first === 'localhost' ? first : 'docker.io';
}

/** The login for the image's registry, if one is given. Config keys may be URLs ("https://index.docker.io/v1/"). */
export function loginFor(image: string, logins: readonly RegistryCredentials[]): RegistryCredentials | null {
  const host = registryOf(image);
  return logins.find((l) => normalHost(l.serveraddress) === host) ?? null;
}

function normalHost(key: string): string {
  const host = key.replace(/^[a-z]+:\/\//i, '').replace(/\/.*$/, '').toLowerCase();
  return host === 'index.docker.io' || host === 'registry-1.docker.io' || host === 'registry.hub.docker.com' ? 'docker.io' : host;
}

export function statusOf(err: unknown): number | undefined {
  const code = (err as { statusCode?: unknown } | null)?.statusCode;
  return typeof code === 'number' ? code : undefined;
}
