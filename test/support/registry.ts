// Integration helpers for the real registry: a free loopback port, and images built and pushed through the Engine API.

import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type Dockerode from 'dockerode';
import { create as createTar } from 'tar';
import type { Secret } from '../../src/core/secret.js';

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port: found } = server.address() as AddressInfo;
  await new Promise((done) => server.close(done));
  return found;
}

/** Builds busybox images with a text file in them and pushes them as a run does; remembers them for cleanup. */
export class TestImages {
  readonly #images = new Set<string>();
  #contextDir = '';

  constructor(private readonly docker: Dockerode) {}

  /** Builds `reference` (name:tag) whose /hello.txt holds content. */
  async build(reference: string, content: string): Promise<void> {
    if (this.#contextDir === '') this.#contextDir = await mkdtemp(join(tmpdir(), 'slipway-build-it-'));
    await writeFile(join(this.#contextDir, 'Dockerfile'), 'FROM busybox:latest\nCOPY hello.txt /hello.txt\n');
    await writeFile(join(this.#contextDir, 'hello.txt'), content);
    const chunks: Buffer[] = [];
    for await (const chunk of createTar({ cwd: this.#contextDir, portable: true }, ['Dockerfile', 'hello.txt'])) chunks.push(Buffer.from(chunk as Uint8Array));
    const stream = await this.docker.buildImage(Readable.from([Buffer.concat(chunks)]), { t: reference, rm: true, forcerm: true });
    const messages = await this.follow(stream);
    const aux = messages.map((m) => m.aux).find((a): a is { ID: string } => typeof a === 'object' && a !== null && 'ID' in a);
    if (aux !== undefined) this.#images.add(aux.ID);
    this.#images.add(reference);
  }

  /** Tags the local image `from` (name:tag) as name:to. */
  async tag(name: string, from: string, to: string): Promise<void> {
    await this.docker.getImage(`${name}:${from}`).tag({ repo: name, tag: to });
    this.#images.add(`${name}:${to}`);
  }

  /** Pushes through the Engine API; the digest comes from the stream's aux message {Tag, Digest, Size}. */
  async push(name: string, tag: string, credentials: { username: string; password: Secret; serveraddress: string }): Promise<string> {
    const stream = await this.docker.getImage(name).push({
      tag,
      authconfig: { username: credentials.username, password: credentials.password.reveal(), serveraddress: credentials.serveraddress },
    });
    const messages = await this.follow(stream);
    const aux = messages.map((m) => m.aux).find((a): a is { Digest: string } => typeof a === 'object' && a !== null && 'Digest' in a);
    assert.ok(aux, `no aux digest in push stream: ${JSON.stringify(messages.slice(-3))}`);
    return aux.Digest;
  }

  async removeAll(): Promise<void> {
    for (const image of this.#images) await this.docker.getImage(image).remove({ force: true }).catch(() => undefined);
    this.#images.clear();
    if (this.#contextDir !== '') await rm(this.#contextDir, { recursive: true, force: true });
  }

  /** Reads a JSON-lines Engine API stream to its end; fails on errorDetail. */
  private async follow(stream: NodeJS.ReadableStream): Promise<Record<string, unknown>[]> {
    const messages = await new Promise<unknown[]>((done, fail) => {
      this.docker.modem.followProgress(stream, (err, result: unknown[]) => (err ? fail(err) : done(result)));
    });
    const records = messages.filter((m): m is Record<string, unknown> => typeof m === 'object' && m !== null);
    const failed = records.find((m) => m.errorDetail !== undefined || m.error !== undefined);
    if (failed !== undefined) throw new Error(`engine stream failed: ${JSON.stringify(failed.errorDetail ?? failed.error)}`);
    return records;
  }
}
