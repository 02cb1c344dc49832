// The diff between two stack releases: per service, in words, from the stored plans.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diffStackPlans } from './stack-diff.js';
import { testPlan } from './stack-testing.js';

describe('stack release diff', () => {
  it('names what changed per service: image, replicas, env keys (never values), any other field; added and removed services', () => {
    const a = testPlan([
      { name: 'web', image: 'web@sha256:1', replicas: 1, env: { A: '1', B: 'secret-old' } },
      { name: 'db', image: 'postgres@sha256:1' },
      { name: 'old', image: 'x' },
    ]);
    const b = testPlan([
      { name: 'web', image: 'web@sha256:2', replicas: 3, env: { B: 'secret-new', C: '3' }, command: ['serve'] },
      { name: 'db', image: 'postgres@sha256:1' },
      { name: 'cache', image: 'redis', replicas: 2 },
    ]);
    const diff = diffStackPlans(a, b);
    assert.deepEqual(diff, [
      { service: 'web', change: 'changed', details: ['image web@sha256:1 → web@sha256:2', 'replicas 1 → 3', 'env added: C', 'env removed: A', 'env changed: B', 'command ["httpd","-f"] → ["serve"]'] },
      { service: 'db', change: 'unchanged', details: [] },
      { service: 'cache', change: 'added', details: ['image redis', 'replicas 2'] },
      { service: 'old', change: 'removed', details: ['image x'] },
    ]);
    assert.doesNotMatch(JSON.stringify(diff), /secret-/);
  });

  it('reads fields the plan grows (configs, ports …) by name, and treats moved keys, absent and null as no change', () => {
    const a = testPlan([{ name: 'web', healthcheck: null }]);
    const b = testPlan([{ name: 'web' }]);
    const withConfigs = (p: typeof a, configs: unknown) => ({ ...p, services: p.services.map((s) => ({ ...s, configs }) as typeof s) });
    assert.deepEqual(diffStackPlans(withConfigs(a, [{ name: 'c1', target: '/x' }]), withConfigs(b, [{ target: '/x', name: 'c1' }])), [{ service: 'web', change: 'unchanged', details: [] }]);
    assert.deepEqual(diffStackPlans(withConfigs(a, [{ name: 'c1' }]), withConfigs(b, [{ name: 'c2' }]))[0]?.details, ['configs [{"name":"c1"}] → [{"name":"c2"}]']);
    assert.deepEqual(diffStackPlans(withConfigs(a, undefined), withConfigs(b, null))[0]?.change, 'unchanged');
  });
});
