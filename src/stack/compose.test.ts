// The compose subset: what a stack takes, and an error with line:column and a hint for everything else.

import { defaultService } from './defaults.js';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { SlipwayError } from '../core/errors.js';
import type { LintFinding } from '../core/plan.js';
import { parseCompose, readCompose } from './compose.js';

const fixture = (name: string) => ({ path: `compose/${name}`, text: readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8') });
const VARS = { SLIPWAY_IMAGE: '127.0.0.1:5000/apps/shop@sha256:' + 'a'.repeat(64), SLIPWAY_APP: 'shop', SLIPWAY_STACK: 'backend', SLIPWAY_COMMIT: 'c0ffee' };
const short = (f: LintFinding) => `${f.location.line}:${f.location.column} ${f.message}`;
const problems = (text: string, vars: Record<string, string | { missing: string }> = VARS) =>
  readCompose({ path: 'compose.yaml', text }, vars).findings.map(short);

describe('compose files', () => {
  it('reads the supported subset: image placeholder, argv, environment and labels in both forms, health checks, replicas', () => {
    const stack = parseCompose(fixture('good.yaml'), VARS);
    assert.deepEqual(stack.files, ['compose/good.yaml']);
    assert.deepEqual(stack.services.map((s) => s.name), ['web', 'worker', 'cache']);
    const [web, worker, cache] = stack.services;
    assert.deepEqual(web, {
      ...defaultService('web', VARS.SLIPWAY_IMAGE as string),
      environment: { LOG_LEVEL: 'info' },
      replicas: 2,
      healthcheck: { test: ['CMD', 'node', '/app/healthcheck.js'], intervalMs: 2000, timeoutMs: 1500, retries: 3, startPeriodMs: 90_000 },
      labels: { team: 'backend' },
      deployLabels: { tier: 'front' },
    });
    assert.deepEqual(worker?.entrypoint, ['sh', '-c']);
    assert.deepEqual(worker?.command, ['echo working for $APP && sleep 3600'], 'one word: quoted; $$ became $');
    assert.deepEqual(worker?.environment, { APP: 'shop', EMPTY: '', WITH_EQUALS: 'a=b' });
    assert.deepEqual(worker?.healthcheck, { test: ['CMD-SHELL', 'printf x | grep -q x'], intervalMs: null, timeoutMs: null, retries: null, startPeriodMs: null });
    assert.deepEqual(cache?.command, ['redis-server', '--save', '']);
    assert.deepEqual(cache?.healthcheck?.test, ['NONE']);
    assert.equal(cache?.replicas, 0);
  });

  it('warns for keys Swarm ignores, refuses what cannot be deployed, and names the position of each; typos get "did you mean"', () => {
    const { stack, findings } = readCompose(fixture('unsupported.yaml'), VARS);
    assert.equal(stack, null);
    assert.deepEqual(findings.map(short), [
      '1:1 "name" of the compose file is ignored',
      '5:5 build of service "web" is ignored: Swarm has no such setting (docker stack deploy ignores it too)',
      '9:9 service "web" mounts volume "data", which the top-level volumes do not declare',
      '10:5 depends_on of service "web" is ignored: Swarm has no such setting (docker stack deploy ignores it too)',
      '11:5 cpus of service "web" is ignored: Swarm has no such setting (docker stack deploy ignores it too)',
      '12:5 services.web.imgae is not a compose key; did you mean "image"?',
      '18:23 start_interval of healthcheck of service "web" is ignored: it needs Docker Engine API 1.44',
      '19:3 service "db" has no image',
      '21:3 service name "Bad.Name" cannot be a Swarm service name',
      '24:13 environment of service "Bad.Name" TOKEN has no value',
      '26:7 labels of service "Bad.Name": io.slipway.app is set by Slipway',
    ]);
    assert.deepEqual(findings.filter((f) => f.severity === 'warning').map((f) => f.location.line), [1, 5, 10, 11, 18]);
    const hint = (line: number) => findings.find((f) => f.location.line === line)?.hint ?? '';
    assert.match(hint(5), /build and push steps\), then write image: \$\{SLIPWAY_IMAGE\}/);
    assert.match(hint(9), /volumes: \{ data: \{\} \}/);
    assert.match(hint(11), /deploy\.resources\.limits\.cpus/);
    assert.match(hint(19), /\$\{SLIPWAY_IMAGE\}/);
  });

  it('parseCompose throws one invalid_input error listing file:line:col of each problem', () => {
    assert.throws(() => parseCompose({ path: 'deploy/compose.yml', text: 'services:\n  web:\n    image: x\n    ports: ["80:80"]\n    user: [a]\n' }, VARS), (err: unknown) => {
      assert.ok(err instanceof SlipwayError);
      assert.equal(err.kind, 'invalid_input');
      assert.equal(err.field, 'deploy/compose.yml');
      assert.match(err.message, /deploy\/compose\.yml:4:13: service "web" publishes port 80, which belongs to Slipway's edge \(hint: .*slipway\.domain.*\)/);
      assert.match(err.message, /deploy\/compose\.yml:5:11: services\.web\.user must be a string, got a list/);
      return true;
    });
  });

  it('variables: SLIPWAY_IMAGE without a push, unknown variables, and $$', () => {
    assert.deepEqual(problems('services:\n  web:\n    image: ${SLIPWAY_IMAGE}\n', { ...VARS, SLIPWAY_IMAGE: { missing: 'this run pushed no image' } }), [
      '3:12 image of service "web": SLIPWAY_IMAGE has no value here: this run pushed no image',
    ]);
    assert.match(problems('services:\n  web:\n    image: busybox\n    environment: { P: $HOME }\n')[0] ?? '', /^4:23 environment\.P of service "web": variable HOME is not set/);
  });

  it('shapes: empty files, several documents, no services, bad values', () => {
    assert.deepEqual(problems(''), ['1:1 the compose file is empty']);
    assert.deepEqual(problems('services: {a: {image: x}}\n---\nservices: {}\n'), ['1:1 a compose file has one YAML document, not several']);
    assert.deepEqual(problems('version: "3"\n'), ['1:1 the compose file has no "services"']);
    assert.deepEqual(problems('services: {}\n'), ['1:11 "services" must be a map of at least one service, got a map']);
    assert.deepEqual(problems('services:\n  a:\n    image: x\n    command: []\n    deploy: { replicas: 101 }\n    healthcheck: { test: [CMD], interval: soon }\n'), [
      '4:14 command of service "a" is empty',
      '5:25 replicas of deploy of service "a" must be a whole number from 0 to 100, got "101"',
      '6:26 test of healthcheck of service "a" must be [CMD, program, args…], [CMD-SHELL, "command"] or [NONE]',
      '6:43 interval of healthcheck of service "a" "soon" is not a duration',
    ]);
    assert.deepEqual(problems('services:\n  a:\n    image: x\n    command: run | tee\n'), [
      '4:14 command of service "a": "|" outside quotes: the command is not run by a shell; write it as [sh, -c, "…"] to use one',
    ]);
    assert.match(problems('services:\n  a: [x]\n')[0] ?? '', /^2:6 services\.a must be a map, got a list/);
    assert.match(problems('services:\n  a:\n    image: x\n  a:\n    image: y\n')[0] ?? '', /^4:3 invalid YAML/);
  });

  it('shares the YAML reader\'s per-file alias budget: many documents just under the old per-document budget fail fast', () => {
    const doc = [
      'x-a0: &a0 [x, x, x, x, x, x, x, x, x, x]',
      ...[1, 2, 3].map((i) => `x-a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]`),
      `services: { web: { image: x, labels: [${Array(6).fill('*a3').join(', ')}] } }`,
    ].join('\n');
    assert.throws(
      () => parseCompose({ path: 'compose.yaml', text: Array(20).fill(doc).join('\n---\n') }, VARS),
      (err: unknown) => err instanceof SlipwayError && err.kind === 'invalid_input' && /compose\.yaml:6:1: the file expands to more than 100000 values through aliases/.test(err.message),
    );
  });
});
