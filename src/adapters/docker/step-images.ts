// Makes a step's image available on the host according to its pull policy, with a deadline on every pull.

import type Dockerode from 'dockerode';
import { SlipwayError } from '../../core/errors.js';
import type { StepPlan } from '../../core/plan.js';
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
  async ensure(image: string, policy: PullPolicy, say: (line: string) => void): Promise<void> {
    const local = await this.exists(image);
    if (local && policy !== 'always') return;
    if (!local && policy === 'never') {
      throw new SlipwayError('invalid_input', `image ${image} not found on this host, and the step says pull: never`, {
        field: 'image',
        hint: 'load the image on the host, or drop `pull: never` so that Slipway pulls it',
      });
    }
    say(`slipway: pulling ${image}\n`);
    try {
      await this.#pullOnce(image);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      if (local) {
        say(`slipway: warning: pulling ${image} failed (${reason}); using the image already on this host\n`);
        return;
      }
      throw new SlipwayError('invalid_input', `image ${image} not found: it is not on this host and pulling it failed (${reason})`, {
        field: 'image',
        hint: 'check the image name and tag; a private or unreachable registry needs the image loaded on the host',
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

  #pullOnce(image: string): Promise<void> {
    const running = this.#pulls.get(image);
    if (running) return running;
    const pull = this.#pull(image).finally(() => this.#pulls.delete(image));
    this.#pulls.set(image, pull);
    return pull;
  }

  async #pull(image: string): Promise<void> {
    const deadline = AbortSignal.timeout(this.pullTimeoutMs);
    const stream = (await this.docker.pull(image, { abortSignal: deadline }).catch((err: unknown) => {
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

export function statusOf(err: unknown): number | undefined {
  const code = (err as { statusCode?: unknown } | null)?.statusCode;
  return typeof code === 'number' ? code : undefined;
}
