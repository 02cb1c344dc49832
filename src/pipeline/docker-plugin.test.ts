import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dockerPluginPlan, semverTags } from './docker-plugin.js';
import { lintFile } from './index.js';

const meta = (event: 'push' | 'tag', tag: string | null = null) => ({ event, tag });

describe('dockerPluginPlan', () => {
  it('reads the registry from the repo when it names a host, and defaults to Docker Hub', () => {
    assert.equal(dockerPluginPlan('plugins/docker', { PLUGIN_REPO: 'acme/web' }, meta('push')).publish.repository, 'docker.io/acme/web');
    const local = dockerPluginPlan('plugins/docker', { PLUGIN_REPO: '127.0.0.1:5001/acme/web' }, meta('push')).publish;
    assert.deepEqual([local.registry, local.repository], ['127.0.0.1:5001', '127.0.0.1:5001/acme/web']);
    const named = dockerPluginPlan('plugins/docker', { PLUGIN_REGISTRY: 'https://ghcr.io/', PLUGIN_REPO: 'ghcr.io/acme/web' }, meta('push')).publish;
    assert.deepEqual([named.registry, named.repository], ['ghcr.io', 'ghcr.io/acme/web']);
  });

  it('takes tags, build args as a list or a map, dry_run, and auto_tag on tag events', () => {
    const p = dockerPluginPlan('plugins/docker', { PLUGIN_REPO: 'a/b', PLUGIN_TAGS: 'latest, 1.0', PLUGIN_BUILD_ARGS: 'A=1,B=x=y', PLUGIN_DRY_RUN: 'true', PLUGIN_CONTEXT: './app', PLUGIN_DOCKERFILE: 'app/Dockerfile' }, meta('push'));
    assert.deepEqual(p.publish.tags, ['latest', '1.0']);
    assert.equal(p.publish.push, false);
    assert.deepEqual(p.build.args, { A: '1', B: 'x=y' });
    assert.deepEqual([p.build.context, p.build.dockerfile], ['app', 'app/Dockerfile']);
    assert.deepEqual(dockerPluginPlan('plugins/docker', { PLUGIN_REPO: 'a/b', PLUGIN_BUILD_ARGS: '{"N":3}' }, meta('push')).build.args, { N: '3' });
    assert.deepEqual(dockerPluginPlan('plugins/docker', { PLUGIN_REPO: 'a/b', PLUGIN_AUTO_TAG: 'true' }, meta('tag', 'v2.5.1')).publish.tags, ['2', '2.5', '2.5.1']);
    assert.deepEqual(dockerPluginPlan('plugins/docker', { PLUGIN_REPO: 'a/b', PLUGIN_AUTO_TAG: 'true', PLUGIN_AUTO_TAG_SUFFIX: 'alpine' }, meta('tag', 'v2.5.1')).publish.tags, ['2-alpine', '2.5-alpine', '2.5.1-alpine']);
    assert.deepEqual(dockerPluginPlan('plugins/docker', { PLUGIN_REPO: 'a/b', PLUGIN_AUTO_TAG: 'true' }, meta('push')).publish.tags, ['latest']);
  });
});

describe('semverTags', () => {
  it('expands versions, keeps pre-releases to themselves and other tags as they are', () => {
    assert.deepEqual(semverTags('1.2.3'), ['1', '1.2', '1.2.3']);
    assert.deepEqual(semverTags('v1.2.3-rc.1'), ['1.2.3-rc.1']);
    assert.deepEqual(semverTags('release/2024'), ['release-2024']);
  });
});

describe('lint of docker-build plugins', () => {
  const lint = (settings: string) => lintFile({ path: '.drone.yml', text: `kind: pipeline\ntype: docker\nname: default\nsteps:\n  - name: publish\n    image: plugins/docker\n    settings:\n${settings}` }, { knownSecrets: null });
  it('accepts the usual settings, warns about what it cannot apply, and refuses the rest with the line', () => {
    assert.deepEqual(lint('      repo: acme/web\n      tags: [latest]\n      username: { from_secret: u }\n      password: { from_secret: p }\n').filter((f) => f.severity === 'error'), []);
    const warned = lint('      repo: acme/web\n      platforms: linux/amd64,linux/arm64\n');
    assert.match(warned.find((f) => f.severity === 'warning')?.message ?? '', /platform only/);
    const refused = lint('      repo: acme/web\n      squash: true\n');
    assert.match(refused.find((f) => f.severity === 'error')?.message ?? '', /"squash" .* not supported/);
    assert.equal(refused.find((f) => f.severity === 'error')?.location.line, 6);
    assert.match(lint('      tags: [latest]\n').find((f) => f.severity === 'error')?.message ?? '', /needs a "repo"/);
    assert.match(lint('      repo: a/b\n      username: bob\n').find((f) => f.severity === 'error')?.message ?? '', /no password/);
    assert.match(lint('      repo: { from_secret: r }\n').find((f) => f.severity === 'error')?.message ?? '', /cannot come from a secret/);
  });
});
