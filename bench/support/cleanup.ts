// Cleanup shared by the benchmarks: problems collected rather than thrown, the Slipway instance ended, leftovers listed.

import { access, rm } from 'node:fs/promises';
import type { TestSlipway } from '../../test/e2e/support/slipway-process.js';
import type { DockerCli } from './docker-cli.js';
import { findPebblePids } from './proc.js';

/** What went wrong while cleaning up, collected so that one failure does not keep the rest from being removed. */
export class Problems {
  readonly list: string[] = [];

  async attempt(what: string, fn: () => Promise<unknown>): Promise<void> {
    try {
      await fn();
    } catch (err) {
      this.list.push(`${what}: ${(err as Error).message}`);
    }
  }

  /** The summary's cleanup lines: the problems, or `clean` when there were none. */
  report(clean: string): string[] {
    return this.list.length === 0 ? [clean] : this.list;
  }
}

/** Destroys the instance, then ends its Pebble if that survived as an orphan. */
export async function destroySlipway(slipway: TestSlipway, problems: Problems): Promise<void> {
  await problems.attempt('destroying the Slipway instance', () => slipway.destroy());
  for (const pid of await findPebblePids(slipway.dataDir)) {
    await problems.attempt(`ending orphaned Pebble ${pid}`, async () => process.kill(pid, 'SIGTERM'));
  }
}

export async function removeDirs(dirs: readonly string[], problems: Problems): Promise<void> {
  for (const dir of dirs) await problems.attempt(`removing ${dir}`, () => rm(dir, { recursive: true, force: true }));
}

/** The non-empty lines a docker CLI listing prints; none if the command fails. */
export async function dockerNames(cli: DockerCli, args: string[]): Promise<string[]> {
  return (await cli.run(args).catch(() => '')).split('\n').filter((n) => n !== '');
}

/**
 * What is still there after cleanup, as "left behind: …" lines: services named for the instance, then `objects`
 * (what the benchmark itself looks for: containers, networks, images…), then the instance's Pebble processes and
 * any of `dirs` or the instance's data folder that still exists.
 */
export async function leftovers(cli: DockerCli, slipway: TestSlipway, dirs: readonly string[], objects: readonly string[]): Promise<string[]> {
  const left = [
    ...(await dockerNames(cli, ['service', 'ls', '--format', '{{.Name}}'])).filter((n) => n.startsWith(`${slipway.instance}-`)).map((n) => `service ${n}`),
    ...objects,
    ...(await findPebblePids(slipway.dataDir)).map((pid) => `pebble process ${pid}`),
  ];
  for (const dir of [...dirs, slipway.dataDir]) {
    if (await access(dir).then(() => true, () => false)) left.push(`folder ${dir}`);
  }
  return left.map((l) => `left behind: ${l}`);
}
