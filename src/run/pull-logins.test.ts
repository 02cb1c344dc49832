// image_pull_secrets: Docker config JSON read into logins, each image matched to its registry's login, and the
// pipeline file side (lint of the names, the plan carrying them).

import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { describe, it } from 'node:test';
import { loginFor, registryOf } from '../adapters/docker/step-images.js';
import { SlipwayError } from '../core/errors.js';
import type { PipelinePlan } from '../core/plan.js';
import { compilePlan } from '../pipeline/compile.js';
import { lintFile } from '../pipeline/lint.js';
import { runMeta } from '../pipeline/testing.js';
import { parseDockerConfig, pullLoginsOf } from './pull-logins.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const CONFIG = JSON.stringify({
  auths: {
    'registry.example.com': { auth: b64('ci:pa:ss') },
    'https://index.docker.io/v1/': { username: 'hubuser', password: 'hubpass' },
    '127.0.0.1:5000': { auth: b64('slipway:local') },
  },
});

describe('image_pull_secrets', () => {
  it('reads auth (user:password, the password may hold colons) and username/password entries; passwords stay Secrets', () => {
    const logins = parseDockerConfig(CONFIG, 'dockerconfig');
    assert.deepEqual(logins.map((l) => [l.serveraddress, l.username, l.password.reveal()]), [
      ['registry.example.com', 'ci', 'pa:ss'],
      ['https://index.docker.io/v1/', 'hubuser', 'hubpass'],
      ['127.0.0.1:5000', 'slipway', 'local'],
    ]);
    assert.doesNotMatch(inspect(logins) + JSON.stringify(logins), /pa:ss|hubpass|local'/);
  });

  it('names the registry of an image as docker does, and picks its login', () => {
    assert.equal(registryOf('busybox'), 'docker.io');
    assert.equal(registryOf('library/node:20'), 'docker.io');
    assert.equal(registryOf('registry.example.com/team/tool:1'), 'registry.example.com');
    assert.equal(registryOf('127.0.0.1:5000/apps/web@sha256:abc'), '127.0.0.1:5000');
    assert.equal(registryOf('localhost/tool'), 'localhost');
    const logins = parseDockerConfig(CONFIG, 'dockerconfig');
    assert.equal(loginFor('registry.example.com/team/tool:1', logins)?.username, 'ci');
    assert.equal(loginFor('node:20', logins)?.username, 'hubuser', 'Docker Hub keys are URLs');
    assert.equal(loginFor('127.0.0.1:5000/x/y', logins)?.username, 'slipway');
    assert.equal(loginFor('ghcr.io/x/y', logins), null);
  });

  it('a value that is no Docker config says so without quoting it', () => {
    const bad = ['not json at all hunter2', '{"auth":"x"}', '{"auths":{"r.io":"hunter2"}}', '{"auths":{"r.io":{"credsStore":"desktop"}}}', `{"auths":{"r.io":{"auth":"${b64('nocolon')}"}}}`];
    for (const text of bad) {
      assert.throws(() => parseDockerConfig(text, 'dockerconfig'), (err) => {
        assert.ok(err instanceof SlipwayError && err.kind === 'invalid_input');
        assert.match(err.message, /^secret dockerconfig named in image_pull_secrets is not a Docker config JSON: /);
        assert.doesNotMatch(err.message, /hunter2/);
        assert.match(err.hint ?? '', /\.docker\/config\.json/);
        return true;
      }, text);
    }
  });

  it('a pipeline naming a secret the run does not have fails with how to set it', () => {
    const pipeline = { name: 'default', pullSecrets: ['dockerconfig'] } as unknown as PipelinePlan;
    assert.deepEqual(pullLoginsOf({ name: 'p' } as unknown as PipelinePlan, {}, 'web'), [], 'plans stored before have none');
    assert.equal(pullLoginsOf(pipeline, { dockerconfig: CONFIG }, 'web').length, 3);
    assert.throws(() => pullLoginsOf(pipeline, {}, 'web'), (err) => {
      assert.ok(err instanceof SlipwayError);
      assert.match(err.message, /pulls with secret dockerconfig \(image_pull_secrets\), which is not available/);
      assert.match(err.hint ?? '', /slipway secrets set web dockerconfig/);
      return true;
    });
  });

  it('a .drone.yml keeps the names in the plan; lint checks they are secrets of the app', () => {
    const text = 'kind: pipeline\ntype: docker\nname: default\nimage_pull_secrets:\n  - dockerconfig\nsteps:\n  - name: t\n    image: registry.example.com/team/tool:1\n    commands: [true]\n';
    const plan = compilePlan({ dialect: 'drone', files: [{ path: '.drone.yml', text }], shadowed: [] }, runMeta(), { knownSecrets: null });
    assert.deepEqual(plan.pipelines[0]?.pullSecrets, ['dockerconfig']);
    const findings = (known: string[]) => lintFile({ path: '.drone.yml', text }, { knownSecrets: known }, 'drone').map((f) => `${f.location.line}:${f.location.column} ${f.message}`);
    assert.deepEqual(findings(['dockerconfig']), []);
    assert.deepEqual(findings(['dockerconfg']), ['5:5 secret "dockerconfig" does not exist; did you mean "dockerconfg"?']);
  });
});
