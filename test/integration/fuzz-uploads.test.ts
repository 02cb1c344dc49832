// Fuzz (issue 12): hostile tar uploads (truncated, bombs, links, `..` and absolute paths, duplicate entries, random
// bytes) through the upload reader, the pipeline-file reader and the compose-file reader, and through the HTTP
// deploy route. Every one is stored or refused with a SlipwayError (4xx over HTTP); what is read from an upload is
// only a regular file at a path inside it. SLIPWAY_FUZZ_SEED=<seed> replays a run.

import assert from 'node:assert/strict';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { FakeGit } from '../../src/adapters/git/fake-git.js';
import { DEFAULT_COMPOSE_FILES, composeFileFromTar } from '../../src/stack/compose-file.js';
import { pipelineFilesFromTar } from '../../src/trigger/pipeline-files.js';
import { RunSources } from '../../src/trigger/sources.js';
import { crashOf, isCrash, TEST_UPLOAD_LIMITS, testApp, type TestApp } from '../support/fuzz-app.js';
import { fuzzSeed, Rng, Tally } from '../support/fuzz.js';
import { randomUpload } from '../support/fuzz-tar.js';

const seed = fuzzSeed();
const READER_INPUTS = 600;
const HTTP_INPUTS = 300;

const insideUpload = (p: string) => !p.startsWith('/') && !p.split('/').includes('..') && !p.includes('\u0000');

describe(`fuzz: uploads (seed ${seed})`, () => {
  let dir: string;
  let t: TestApp;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'slipway-fuzz-uploads-'));
    t = await testApp();
  });
  after(async () => {
    await (t as typeof t | undefined)?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it(`${READER_INPUTS} hostile uploads through the upload, pipeline-file and compose-file readers`, async (ctx) => {
    const rng = new Rng(seed + 3);
    const tally = new Tally('fuzz uploads (readers)');
    const sources = new RunSources(new FakeGit(), join(dir, 'uploads'), TEST_UPLOAD_LIMITS);
    for (let i = 0; i < READER_INPUTS; i++) {
      const { bytes, kind } = randomUpload(rng);
      await tally.measure(`upload #${i} (${kind})`, async () => {
        let digest: string;
        try {
          digest = await sources.saveUpload(Readable.from([bytes]));
        } catch (err) {
          if (isCrash(err)) return `saveUpload threw ${(err as Error).constructor.name}: ${(err as Error).message}`;
          tally.count('refused');
          return null;
        }
        tally.count('stored');
        const file = join(dir, 'uploads', `${digest}.tar.gz`);
        try {
          for (const f of await pipelineFilesFromTar(file)) if (!insideUpload(f.path)) return `pipeline file read from ${JSON.stringify(f.path)}`;
        } catch (err) {
          if (isCrash(err)) return `pipelineFilesFromTar threw ${(err as Error).constructor.name}: ${(err as Error).message}`;
        }
        try {
          await composeFileFromTar(createReadStream(file), DEFAULT_COMPOSE_FILES);
        } catch (err) {
          if (isCrash(err)) return `composeFileFromTar threw ${(err as Error).constructor.name}: ${(err as Error).message}`;
        }
        await rm(file, { force: true });
        return null;
      });
    }
    ctx.diagnostic(`${tally.summary()} (seed ${seed})`);
    assert.deepEqual(tally.crashes.slice(0, 5), [], `replay with SLIPWAY_FUZZ_SEED=${seed}`);
  });

  it(`${HTTP_INPUTS} hostile uploads through POST /api/apps/web/deploy`, async (ctx) => {
    const rng = new Rng(seed + 4);
    const tally = new Tally('fuzz uploads (HTTP)');
    for (let i = 0; i < HTTP_INPUTS; i++) {
      const { bytes, kind } = randomUpload(rng);
      await tally.measure(`upload #${i} (${kind})`, async () => {
        const res = await t.send('POST', '/api/apps/web/deploy', new Uint8Array(bytes), { 'content-type': 'application/gzip' });
        tally.count(res.status < 300 ? 'accepted' : `refused ${res.status}`);
        return crashOf(res);
      });
    }
    ctx.diagnostic(`${tally.summary()} (seed ${seed})`);
    assert.deepEqual(tally.crashes.slice(0, 5), [], `replay with SLIPWAY_FUZZ_SEED=${seed}`);
  });
});
