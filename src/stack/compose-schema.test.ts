// The compose-spec schema's errors, each at the line and column of the value (or key) it is about, one per position.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LintFinding } from '../core/plan.js';
import { lintCompose } from './compose.js';
import { IGNORED_SERVICE_KEYS, READ_SERVICE_KEYS, REFUSED_SERVICE_KEYS, TRUSTED_SERVICE_KEYS } from './compose-keys.js';
import schema from './compose-spec.schema.json' with { type: 'json' };

const lint = (text: string) =>
  lintCompose([{ path: 'c.yml', text }], {}, { trusted: false, bindRoots: [] }).map((f: LintFinding) => `${f.location.line}:${f.location.column} ${f.message}`);

describe('compose-spec schema', () => {
  it('maps JSON pointers back to positions: unknown keys at the key (with "did you mean"), wrong types at the value', () => {
    const text = [
      'services:',
      '  web:',
      '    image: x',
      '    restart_polcy: always',
      '    deploy:',
      '      replicas: [2]',
      '      resources: { limits: { memory: 512 } }',
      '      placement: { constrains: [a] }',
      '    healthcheck: { test: 5 }',
      'volumes:',
      '  data: { drivr: local }',
      'x-anything: { free: form }',
    ].join('\n');
    assert.deepEqual(lint(text), [
      '4:5 services.web.restart_polcy is not a compose key',
      '6:17 services.web.deploy.replicas must be a whole number or a string, got a list',
      '7:38 services.web.deploy.resources.limits.memory must be a string, got a number',
      '8:20 services.web.deploy.placement.constrains is not a compose key; did you mean "constraints"?',
      '9:26 services.web.healthcheck.test must be a string or a list, got a number',
      '11:11 volumes.data.drivr is not a compose key; did you mean "driver"?',
    ]);
  });

  it('one error per position even when a oneOf offers several forms', () => {
    const findings = lint('services:\n  web:\n    image: x\n    ports: [{ target: 80, publishd: 8080 }]\n    command: { a: 1 }\n');
    assert.deepEqual(findings, [
      '4:27 services.web.ports.0.publishd is not a compose key; did you mean "published"?',
      '5:14 services.web.command must be empty or a string or a list, got a map',
    ]);
  });

  it('every service key of the schema is read, warned about or refused: a newer schema cannot bring a key Slipway drops silently', () => {
    const handled = new Set([...READ_SERVICE_KEYS, ...Object.keys(IGNORED_SERVICE_KEYS), ...Object.keys(REFUSED_SERVICE_KEYS), ...Object.keys(TRUSTED_SERVICE_KEYS)]);
    assert.deepEqual(Object.keys(schema.definitions.service.properties).filter((k) => !handled.has(k)), []);
  });
});
