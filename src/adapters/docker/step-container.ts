// Creates and starts one step or service container, its output attached before it starts and forwarded as it comes.

import type { Readable } from 'node:stream';
import type Dockerode from 'dockerode';
import { SlipwayError } from '../../core/errors.js';
import { messageOf } from './docker-engine.js';
import { statusOf } from './step-images.js';
import { LABELS } from './step-names.js';
import { FrameDecoder } from './step-output.js';

export interface AttachedContainer {
  readonly container: Dockerode.Container;
  /** Resolves once every byte of output went to onOutput (the container ended); with the error if forwarding failed (onOutput threw, the connection broke). */
  readonly drained: Promise<{ readonly outputError: unknown }>;
  readonly onOutput: (text: string) => void;
}

/**
 * Attach comes before start, as `docker run` does it, so not even the first line is lost, and output never
 * depends on the daemon's log driver. dockerd writes to an attached client as fast as it reads, so reading
 * (not buffering) here is what keeps memory flat; a slow reader slows the step, it never grows a buffer.
 */
export async function startAttached(
  docker: Dockerode,
  options: Dockerode.ContainerCreateOptions,
  onOutput: (text: string) => void,
): Promise<AttachedContainer> {
  const what = `${options.Labels?.[LABELS.role] ?? 'container'} ${options.Labels?.[LABELS.step] ?? ''}`.trim();
  const container = await docker.createContainer(options).catch((err: unknown) => {
    throw new SlipwayError(statusOf(err) === 400 ? 'invalid_input' : 'dependency', `${what} could not be created: ${messageOf(err)}`, { cause: err });
  });
  let stream: Readable;
  try {
    stream = (await container.attach({ stream: true, stdout: true, stderr: true })) as unknown as Readable;
  } catch (err) {
    await removeQuietly(container);
    throw new SlipwayError('dependency', `attaching to ${what} failed: ${messageOf(err)}`, { cause: err });
  }
  const drained = forward(stream, onOutput);
  try {
    await container.start();
  } catch (err) {
    stream.destroy();
    await removeQuietly(container);
    const message = messageOf(err);
    throw new SlipwayError('invalid_input', `${what} did not start: ${message}`, {
      cause: err,
      hint: /\/bin\/sh|executable file not found|no such file/i.test(message)
        ? 'commands steps and services need an image with /bin/sh and base64 (as in Drone and Woodpecker); plugins need an entrypoint'
        : 'check the image and the entrypoint of the step',
    });
  }
  return { container, drained, onOutput };
}

async function forward(stream: Readable, onOutput: (text: string) => void): Promise<{ outputError: unknown }> {
  const decoder = new FrameDecoder();
  let outputError: unknown = null;
  const emit = (text: string) => {
    if (text === '' || outputError !== null) return;
    try {
      onOutput(text);
    } catch (err) {
      outputError = err;
      // Stop reading: an unread attach stream would block the container once the socket buffer is full.
      stream.destroy();
    }
  };
  try {
    for await (const chunk of stream) emit(decoder.push(chunk as Buffer));
  } catch (err) {
    // The connection closed early: the container was removed (teardown) or we stopped reading above. What
    // arrived is forwarded; the exit code comes from wait, which sees the same end.
    if (outputError === null && !isPrematureClose(err)) outputError = err;
  }
  emit(decoder.end());
  return { outputError };
}

function isPrematureClose(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'ERR_STREAM_PREMATURE_CLOSE' || code === 'ECONNRESET' || code === 'ABORT_ERR';
}

export async function removeQuietly(container: Dockerode.Container): Promise<void> {
  try {
    await container.remove({ force: true, v: true });
  } catch (err) {
    // Gone already, or dockerd is removing it right now: either way it will not be there.
    const status = statusOf(err);
    if (status !== 404 && status !== 409) throw new SlipwayError('dependency', `removing container ${container.id} failed: ${messageOf(err)}`, { cause: err });
  }
}
