// Resource limits as Drone and Woodpecker files write them: read into the plan, bad values as lint errors with their line.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LintFinding } from '../core/plan.js';
import { compilePlan } from './compile.js';
import { lintFile } from './lint.js';
import { parseBytes } from './read-limits.js';
import type { Dialect } from './source.js';
import { runMeta } from './testing.js';

const short = (f: LintFinding) => `${f.location.line}:${f.location.column} ${f.severity} ${f.message}`;
const lint = (text: string, dialect: Dialect = 'drone') => lintFile({ path: 'f.yml', text }, { knownSecrets: null }, dialect).map(short);

describe('pipeline resource limits', () => {
  it('sizes read as docker reads them: bytes, or powers of 1024 with an optional i/b', () => {
    assert.equal(parseBytes(536870912), 536870912);
    assert.equal(parseBytes('512m'), 512 * 1024 ** 2);
    assert.equal(parseBytes('512MB'), 512 * 1024 ** 2);
    assert.equal(parseBytes('1.5GiB'), 1.5 * 1024 ** 3);
    assert.equal(parseBytes('64 k'), 64 * 1024);
    assert.equal(parseBytes('100'), 100);
    for (const bad of ['', 'lots', '-1m', '1x', '1.2.3g', 1.5, -4]) assert.equal(parseBytes(bad), null, String(bad));
  });

  it('a Drone step and service keep their limits in the plan; built-in steps get none', () => {
    const text = `kind: pipeline
type: docker
name: default
services:
  - name: db
    image: postgres:16
    mem_limit: 256m
steps:
  - name: test
    image: node:20
    commands: [npm test]
    mem_limit: 1g
    memswap_limit: -1
    shm_size: 64m
    cpu_shares: 512
    cpu_period: 100000
    cpu_quota: 50000
    cpu_set: "0"
  - name: plain
    image: node:20
    commands: [true]
`;
    assert.deepEqual(lint(text), []);
    const plan = compilePlan({ dialect: 'drone', files: [{ path: 'f.yml', text }], shadowed: [] }, runMeta(), { knownSecrets: null });
    const [test, plain] = plan.pipelines[0]!.steps;
    assert.deepEqual(test?.limits, {
      memoryBytes: 1024 ** 3, memorySwapBytes: -1, shmBytes: 64 * 1024 ** 2, cpuShares: 512, cpuPeriodMicros: 100_000, cpuQuotaMicros: 50_000, cpuSet: '0',
    });
    assert.equal(plain?.limits, null);
    assert.deepEqual(plan.pipelines[0]!.services[0]?.limits, { memoryBytes: 256 * 1024 ** 2 });
    assert.deepEqual(plan.warnings, [], 'limits are applied now, so no "has no effect" warning');
  });

  it('Woodpecker and Slipway files take the same keys', () => {
    assert.deepEqual(lint('steps:\n  - name: t\n    image: alpine\n    commands: [true]\n    mem_limit: 300m\n', 'woodpecker'), []);
    assert.deepEqual(lint('steps:\n  - name: t\n    image: alpine\n    commands: [true]\n    cpu_shares: 256\n', 'slipway'), []);
  });

  it('limits on a step Slipway runs itself (a built-in or a docker-build plugin) are a warning, not silently dropped', () => {
    assert.deepEqual(lint('steps:\n  - name: image\n    build: {}\n    mem_limit: 2g\n', 'slipway'), ['4:5 warning "mem_limit" has no effect on step "image"']);
    const drone = 'kind: pipeline\ntype: docker\nname: default\nsteps:\n  - name: publish\n    image: plugins/docker\n    cpu_shares: 512\n    settings: { repo: r.example.com/x, registry: r.example.com, dry_run: true }\n';
    assert.deepEqual(lint(drone).filter((f) => f.includes('cpu_shares')), ['7:5 warning "cpu_shares" has no effect on step "publish"']);
  });

  it('bad values are errors at their line, saying what a valid value looks like', () => {
    const text = `kind: pipeline
type: docker
name: default
steps:
  - name: test
    image: node:20
    commands: [npm test]
    mem_limit: 1k
    cpu_shares: 1
    cpu_set: all
    shm_size: big
  - name: swap
    image: node:20
    commands: [true]
    mem_limit: 1g
    memswap_limit: 512m
    cpu_quota: [1]
  - name: zero
    image: node:20
    commands: [true]
    memswap_limit: 0
`;
    assert.deepEqual(lint(text), [
      '8:16 error mem_limit of step "test" must be at least 6m, got "1k"',
      '9:17 error cpu_shares of step "test" must be a whole number from 2 to 262144, got "1"',
      '10:14 error cpu_set of step "test" must list CPUs such as 0-2,4, got "all"',
      '11:15 error shm_size of step "test" must be a size such as 512m or 2g, got "big"',
      '16:20 error memswap_limit of step "swap" is below its mem_limit',
      '17:16 error cpu_quota of step "swap" must be a whole number from 1000 to 1000000000, got a list',
      '21:20 error memswap_limit of step "zero" must be at least 6m (or -1 for unlimited swap), got "0"',
    ]);
  });
});
