// What "rollback" means: which earlier release to put back when the user names one or none.

import { SlipwayError } from '../core/errors.js';
import type { Release } from '../core/types.js';

/**
 * With no number: the newest release older than the live one that was once live (superseded or rolled back).
 * With a number: that release, if it was ever live (a release that failed its health gate is never a target).
 */
export function rollbackTarget(
  releases: readonly Release[],
  wanted: number | null,
  app: string,
  /** Whether a release ran with the live release's config (issue 14: a config change keeps the image). */
  sameConfigAsLive: (r: Release) => boolean = () => true,
): Release {
  const live = releases.find((r) => r.status === 'live') ?? null;
  const wasLive = (r: Release) => r.status === 'superseded' || r.status === 'rolled_back';
  if (wanted !== null) {
    const target = releases.find((r) => r.number === wanted);
    if (!target) {
      throw new SlipwayError('not_found', `app ${app} has no release v${wanted}`, {
        field: 'release',
        hint: `list releases with \`slipway releases ${app}\``,
      });
    }
    if (target.status === 'live') {
      throw new SlipwayError('conflict', `release v${wanted} is already live`, { field: 'release' });
    }
    if (!wasLive(target)) {
      throw new SlipwayError('conflict', `release v${wanted} never went live (${target.status}); it cannot be put back`, {
        field: 'release',
        hint: `pick a release that was live; see \`slipway releases ${app}\``,
      });
    }
    return target;
  }
  const candidates = releases
    .filter((r) => wasLive(r) && (live === null || r.number < live.number))
    .sort((a, b) => b.number - a.number);
  // Skip releases that are themselves rollbacks to the live image and config: they would change nothing.
  const target = candidates.find((r) => live === null || r.image !== live.image || !sameConfigAsLive(r));
  if (!target) {
    throw new SlipwayError('conflict', `app ${app} has no earlier release to roll back to`, {
      hint: `list releases with \`slipway releases ${app}\``,
    });
  }
  return target;
}
