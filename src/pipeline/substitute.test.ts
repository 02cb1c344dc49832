// ${VAR} substitution and the PLUGIN_* encoding of plugin settings.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encodeSetting, pluginVariable } from './env.js';
import { referencedNames, substitute, substituteDeep, unescapeDollars } from './substitute.js';

const vars = { DRONE_COMMIT_SHA: '3f2a9c1d7e5b', DRONE_BRANCH: 'feature/Login', DRONE_TAG: 'v1.4.2', EMPTY: '' };

describe('substitute', () => {
  it('replaces known variables and leaves unknown ones for the shell', () => {
    assert.equal(substitute('img:${DRONE_COMMIT_SHA}', vars), 'img:3f2a9c1d7e5b');
    assert.equal(substitute('${HOME}/x and $PATH', vars), '${HOME}/x and $PATH');
  });

  it('turns $$ into $ (the Drone/Woodpecker escape)', () => {
    assert.equal(substitute('echo $${DRONE_TAG} $$HOME', vars), 'echo ${DRONE_TAG} $HOME');
  });

  it('supports the envsubst operators used in tags', () => {
    assert.equal(substitute('${DRONE_COMMIT_SHA:0:8}', vars), '3f2a9c1d');
    assert.equal(substitute('${DRONE_COMMIT_SHA:4}', vars), '9c1d7e5b');
    assert.equal(substitute('${DRONE_TAG##v}', vars), '1.4.2');
    assert.equal(substitute('${DRONE_TAG%.2}', vars), 'v1.4');
    assert.equal(substitute('${DRONE_BRANCH//\\//-}', vars), 'feature-Login');
    assert.equal(substitute('${DRONE_BRANCH,,}', vars), 'feature/login');
    assert.equal(substitute('${DRONE_BRANCH^^}', vars), 'FEATURE/LOGIN');
    assert.equal(substitute('${EMPTY:-fallback}', vars), 'fallback');
    assert.equal(substitute('${DRONE_TAG:-fallback}', vars), 'v1.4.2');
  });

  // A quadratic scan of 200 000 unclosed `${` takes minutes; linear is milliseconds. A generous test timeout catches
  // the first without a wall-clock assertion a loaded machine could trip.
  it('stays linear on pathological input', { timeout: 30_000 }, () => {
    assert.equal(substitute('${'.repeat(200_000), vars).length, 400_000);
  });

  it('substitutes inside plugin settings data', () => {
    assert.deepEqual(substituteDeep({ tags: ['latest', '${DRONE_TAG}'], n: 1 }, vars), { tags: ['latest', 'v1.4.2'], n: 1 });
  });

  it('only unescapes dollars in commands, and lists referenced names', () => {
    assert.equal(unescapeDollars('echo $${X} ${DRONE_TAG}'), 'echo ${X} ${DRONE_TAG}');
    assert.deepEqual(referencedNames('${A} $${B} ${C:0:1}'), ['A', 'C']);
  });
});

describe('plugin settings encoding', () => {
  it('encodes like Drone: scalars as text, scalar lists comma-joined, the rest JSON', () => {
    assert.equal(encodeSetting('x'), 'x');
    assert.equal(encodeSetting(true), 'true');
    assert.equal(encodeSetting(1.5), '1.5');
    assert.equal(encodeSetting(['latest', 'v1', 2]), 'latest,v1,2');
    assert.equal(encodeSetting([{ registry: 'r', username: 'u' }]), '[{"registry":"r","username":"u"}]');
    assert.equal(encodeSetting({ a: [1] }), '{"a":[1]}');
    assert.equal(encodeSetting(null), '');
  });

  it('names variables PLUGIN_<UPPER_SNAKE>', () => {
    assert.equal(pluginVariable('build_args'), 'PLUGIN_BUILD_ARGS');
    assert.equal(pluginVariable('cache-from.v2'), 'PLUGIN_CACHE_FROM_V2');
  });
});
