// A service's `healthcheck` → the engine's HealthcheckDefinition (a string test runs in the container's shell).

import type { HealthcheckDefinition } from '../core/ports/engine.js';
import { valueOf, type YNode } from '../yaml/node.js';
import { asMap, opt, readArgv, readBool, readCount, readDuration, readText, type ComposeContext } from './compose-values.js';

export function readHealthcheck(node: YNode, ctx: ComposeContext, where: string): HealthcheckDefinition | null {
  const map = asMap(node, ctx, where);
  if (map === null) return null;
  const duration = (key: string) => opt(map, key, (n) => readDuration(n, ctx, `${key} of ${where}`));
  const retries = opt(map, 'retries', (n) => readCount(n, ctx, `retries of ${where}`, 100)) || null;
  const disabled = opt(map, 'disable', (n) => readBool(n, ctx, `disable of ${where}`)) === true;
  const testNode = valueOf(map, 'test');
  if (disabled && testNode !== undefined) ctx.findings.error(testNode.loc, `${where} has both disable: true and a test`, 'keep one of them');
  const startInterval = valueOf(map, 'start_interval');
  if (startInterval !== undefined) ctx.findings.warn(startInterval.loc, `start_interval of ${where} is ignored: it needs Docker Engine API 1.44`);
  const test = disabled ? ['NONE'] : testNode === undefined ? [] : readTest(testNode, ctx, `test of ${where}`);
  const timing = { intervalMs: duration('interval'), timeoutMs: duration('timeout'), retries, startPeriodMs: duration('start_period') };
  return test === null ? null : { test, ...timing };
}

/** A string runs in the container's shell (CMD-SHELL), as in compose; a list starts with CMD, CMD-SHELL or NONE. */
function readTest(node: YNode, ctx: ComposeContext, what: string): string[] | null {
  if (node.kind === 'scalar') {
    const text = readText(node, ctx, what);
    return text === null ? null : ['CMD-SHELL', text];
  }
  const argv = readArgv(node, ctx, what);
  if (argv === null) return null;
  const [kind] = argv;
  const ok = (kind === 'CMD' && argv.length >= 2) || (kind === 'CMD-SHELL' && argv.length === 2) || (kind === 'NONE' && argv.length === 1);
  if (!ok) {
    ctx.findings.error(node.loc, `${what} must be [CMD, program, args…], [CMD-SHELL, "command"] or [NONE]`, 'or write the command as one string to run it with the container\'s shell');
    return null;
  }
  return argv;
}
