// `slipway exec` on the real Docker engine: busybox steps, a failing variant, a build, and nothing of the run left behind.

import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Dockerode from 'dockerode';
import { LABELS } from '../../src/adapters/docker/step-names.js';
import { localName } from '../../src/cli/local/names.js';
import { main } from '../../src/cli/main.js';
import { testIO } from '../../src/cli/testing/test-io.js';

const docker = new Dockerode({ socketPath: '/var/run/docker.sock' });
const images: string[] = [];

/** A directory with this .slipway.yml (and any other files). */
async function project(pipeline: string, files: Record<string, string> = {}): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'slipway-exec-it-'));
  await writeFile(join(dir, '.slipway.yml'), pipeline);
  for (const [path, text] of Object.entries(files)) await writeFile(join(dir, path), text);
  return dir;
}

/** Containers, networks and volumes labelled with the app exec ran the directory as. */
async function leftovers(dir: string): Promise<{ containers: number; networks: number; volumes: number }> {
  const filters = { label: [`${LABELS.app}=exec-${localName(dir)}`] };
  const containers = await docker.listContainers({ all: true, filters });
  const networks = await docker.listNetworks({ filters });
  const { Volumes } = await docker.listVolumes({ filters });
  return { containers: containers.length, networks: networks.length, volumes: (Volumes ?? []).length };
}

const NOTHING = { containers: 0, networks: 0, volumes: 0 };

describe('slipway exec on dockerd', { timeout: 180_000 }, () => {
  after(async () => {
    for (const image of images) await docker.getImage(image).remove({ force: true }).catch(() => null);
  });

  it('runs two busybox steps that share the workspace, exits 0 and leaves nothing', async () => {
    const dir = await project(`steps:
  - name: write
    image: busybox:latest
    commands:
      - echo "hello from $CI_REPO" > note.txt
      - echo wrote
  - name: read
    image: busybox:latest
    commands:
      - cat note.txt
      - cat source.txt
`, { 'source.txt': 'from the directory\n' });
    const io = testIO({}, dir);
    assert.equal(await main(['exec'], io), 0, io.stdout.text + io.stderr.text);
    const out = io.stdout.text;
    assert.match(out, /^\[write\] wrote$/m);
    assert.match(out, new RegExp(`^\\[read\\] hello from ${dir.split('/').pop() ?? ''}$`, 'm'));
    assert.match(out, /^\[read\] from the directory$/m);
    assert.match(out, /^write  succeeded  \d+\.\ds\nread   succeeded  \d+\.\ds\nsucceeded\n$/m);
    assert.equal(io.stderr.text, '');
    assert.deepEqual(await leftovers(dir), NOTHING);
  });

  it('a failing step: exit 6, the later step skipped, and nothing left (not even the failed workspace)', async () => {
    const dir = await project(`steps:
  - name: fail
    image: busybox:latest
    commands:
      - echo about to fail
      - exit 3
  - name: later
    image: busybox:latest
    commands: [echo never printed]
`);
    const io = testIO({}, dir);
    assert.equal(await main(['exec'], io), 6, io.stdout.text + io.stderr.text);
    const out = io.stdout.text;
    assert.match(out, /^\[fail\] about to fail\n\[fail\] \+ exit 3\n\[fail\] --> step fail exited with code 3\n--> step fail failed/m);
    assert.match(out, /^--> step later skipped: an earlier step failed$/m);
    assert.ok(!out.includes('never printed'));
    assert.match(out, /^fail   failed   \d+\.\ds\nlater  skipped  -         an earlier step failed\n$/m);
    assert.equal(io.stderr.text, 'error: step fail of pipeline slipway failed\nhint: see the step output above; fix it, then run "slipway exec" again\n');
    assert.deepEqual(await leftovers(dir), NOTHING);
  });

  it('build: the image is built from the workspace the steps left, tagged slipway-exec/<dir>:latest', async () => {
    const dir = await project(`steps:
  - name: generate
    image: busybox:latest
    commands: [echo generated-in-a-step > generated.txt]
  - name: image
    build: {}
  - name: ship
    push: {}
`, { Dockerfile: 'FROM busybox:latest\nCOPY generated.txt /generated.txt\nRUN cat /generated.txt\n' });
    const tag = `slipway-exec/${localName(dir)}:latest`;
    images.push(tag);
    const io = testIO({}, dir);
    assert.equal(await main(['exec'], io), 0, io.stdout.text + io.stderr.text);
    assert.match(io.stdout.text, /^\[image\] generated-in-a-step$/m);
    assert.match(io.stdout.text, /^\[ship\] exec does not push; skipped$/m);
    assert.ok(io.stdout.text.endsWith(`succeeded: built ${tag}\n`), io.stdout.text);
    const info = await docker.getImage(tag).inspect();
    assert.equal(info.Config.Labels?.['io.slipway.exec'], dir.split('/').pop());
    assert.deepEqual(await leftovers(dir), NOTHING);
  });
});
