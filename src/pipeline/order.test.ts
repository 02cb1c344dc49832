// Step ordering (sequential, graph, depends_on: [], groups), matrix expansion, timeouts and cache names.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compilePlan } from './compile.js';
import { cacheName } from './cache.js';
import { parseTimeout } from './duration.js';
import { expandMatrix, matrixName } from './matrix.js';
import type { Dialect } from './source.js';
import { runMeta } from './testing.js';

const order = (yaml: string, dialect: Dialect = 'woodpecker') =>
  compilePlan({ dialect, files: [{ path: 'f.yml', text: yaml }], shadowed: [] }, runMeta(), { knownSecrets: null }).pipelines[0]?.steps.map((s) => [s.name, s.dependsOn]);

describe('step order', () => {
  it('runs a list without depends_on sequentially', () => {
    assert.deepEqual(order('steps:\n  - {name: a, image: x}\n  - {name: b, image: x}\n  - {name: c, image: x}\n'), [['a', []], ['b', ['a']], ['c', ['b']]]);
  });

  it('turns into a graph once any step has depends_on; depends_on: [] starts at once', () => {
    const yaml = 'steps:\n  - {name: a, image: x}\n  - {name: b, image: x, depends_on: [a]}\n  - {name: c, image: x, depends_on: []}\n  - {name: d, image: x, depends_on: [b, c, b]}\n';
    assert.deepEqual(order(yaml), [['a', []], ['b', ['a']], ['c', []], ['d', ['b', 'c']]]);
  });

  it("runs Woodpecker's legacy groups in parallel stages", () => {
    const yaml = 'steps:\n  - {name: a, image: x}\n  - {name: b, image: x, group: g}\n  - {name: c, image: x, group: g}\n  - {name: d, image: x}\n';
    assert.deepEqual(order(yaml), [['a', []], ['b', ['a']], ['c', ['a']], ['d', ['b', 'c']]]);
  });

  it('accepts map-form steps in Slipway files without a warning and names them by key', () => {
    assert.deepEqual(order('steps:\n  lint: {image: x}\n  test: {image: x}\n', 'slipway'), [['lint', []], ['test', ['lint']]]);
  });
});

describe('matrix', () => {
  it('expands axes in file order', () => {
    const combos = expandMatrix({ axes: [['GO', ['1.21', '1.22']], ['DB', ['pg', 'my']]], include: [], loc: { file: 'f', line: 1, column: 1 } });
    assert.deepEqual(combos, [{ GO: '1.21', DB: 'pg' }, { GO: '1.21', DB: 'my' }, { GO: '1.22', DB: 'pg' }, { GO: '1.22', DB: 'my' }]);
    assert.deepEqual(expandMatrix(null), [null]);
    assert.equal(matrixName('test', { GO: '1.22', DB: 'pg' }), 'test (GO=1.22, DB=pg)');
  });

  it('uses include lists as they are', () => {
    const yaml = 'matrix:\n  include:\n    - {GO: 1.20, OS: alpine}\n    - {GO: 1.22, OS: bookworm}\nsteps:\n  - {name: t, image: "golang:${GO}-${OS}"}\n';
    const plan = compilePlan({ dialect: 'woodpecker', files: [{ path: '.woodpecker.yml', text: yaml }], shadowed: [] }, runMeta(), { knownSecrets: null });
    assert.deepEqual(plan.pipelines.map((p) => [p.name, p.steps[0]?.image, p.steps[0]?.environment['GO']]), [
      ['woodpecker (GO=1.20, OS=alpine)', 'golang:1.20-alpine', '1.20'],
      ['woodpecker (GO=1.22, OS=bookworm)', 'golang:1.22-bookworm', '1.22'],
    ]);
  });
});

describe('timeouts and caches', () => {
  it('parses durations and bare minutes', () => {
    assert.equal(parseTimeout('90s'), 90);
    assert.equal(parseTimeout('10m'), 600);
    assert.equal(parseTimeout('1h30m'), 5400);
    assert.equal(parseTimeout(15), 900);
    assert.equal(parseTimeout('15'), 900);
    assert.match(String(parseTimeout('0s')), /positive/);
    assert.match(String(parseTimeout('25h')), /at most 24h/);
    assert.match(String(parseTimeout('1.5m')), /invalid duration/);
  });

  it('names caches stably', () => {
    assert.equal(cacheName('node_modules'), 'node_modules');
    assert.equal(cacheName('/root/.npm'), cacheName('/root/.npm'));
    assert.notEqual(cacheName('/root/.npm'), cacheName('root/.npm'));
    assert.match(cacheName('/root/.cache/go-build'), /^root-.cache-go-build-[0-9a-f]{8}$/);
  });
});
