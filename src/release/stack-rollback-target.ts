// What "stacks rollback" means: which earlier release of a stack to deploy again when the user names one or none.

import { SlipwayError } from '../core/errors.js';
import type { StackRelease } from '../core/ports/stack-releases.js';

/**
 * With no number: the newest release older than the live one that was once live and deployed another plan. With a
 * number: that release, if it was ever live (a release that failed or is deploying is never a target: it never ran).
 * `releases` newest first, as the store lists them.
 */
export function stackRollbackTarget(releases: readonly StackRelease[], wanted: number | null, where: { app: string; stack: string }): StackRelease {
  const hint = `list the releases with \`slipway stacks releases ${where.stack} --app ${where.app}\``;
  if (releases.length === 0) throw unknownStack(where);
  const live = releases.find((r) => r.status === 'live') ?? null;
  const wasLive = (r: StackRelease) => r.status === 'superseded' || r.status === 'rolled_back';
  if (wanted !== null) {
    const target = releases.find((r) => r.number === wanted);
    if (!target) throw new SlipwayError('not_found', `stack ${where.stack} of app ${where.app} has no release ${wanted}`, { field: 'release', hint });
    if (target.status === 'live') throw new SlipwayError('conflict', `release ${wanted} of stack ${where.stack} is already live`, { field: 'release', hint });
    if (!wasLive(target)) {
      throw new SlipwayError('conflict', `release ${wanted} of stack ${where.stack} never went live (${target.status}); it cannot be put back`, {
        field: 'release', hint: `pick a release that was live; ${hint}`,
      });
    }
    return target;
  }
  const same = (r: StackRelease) => live !== null && JSON.stringify(r.plan) === JSON.stringify(live.plan);
  const target = releases.find((r) => wasLive(r) && (live === null || r.number < live.number) && !same(r));
  if (!target) throw new SlipwayError('conflict', `stack ${where.stack} of app ${where.app} has no earlier release to roll back to`, { hint });
  return target;
}

export function unknownStack(where: { app: string; stack: string }): SlipwayError {
  return new SlipwayError('not_found', `app ${where.app} has no stack ${where.stack}`, {
    field: 'stack',
    hint: `list the stacks with \`slipway stacks ls --app ${where.app}\`; deploy one with \`slipway stacks deploy ${where.stack} -c compose.yml --app ${where.app}\``,
  });
}
