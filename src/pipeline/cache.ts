// `cache: [path, …]` on a step (a Slipway extension): named per-app volumes kept between runs, e.g. node_modules
// or ~/.cache/go-build. Relative paths are inside the workspace.

import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import type { CacheMount } from '../core/plan.js';

/** Names Docker accepts for volumes and people recognise in `docker volume ls`. */
const PLAIN_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export function cacheMount(path: string, workspace: string): CacheMount {
  const absolute = path.startsWith('/') ? posix.normalize(path) : posix.join(workspace, path);
  return { name: cacheName(path), path: absolute };
}

/**
 * Stable across runs and pipelines: "node_modules" stays "node_modules"; anything else gets a readable slug plus a
 * hash of the path as written, so `/root/.npm` and `root/.npm` cannot share a volume by accident.
 */
export function cacheName(path: string): string {
  if (PLAIN_NAME.test(path)) return path;
  const slug = path.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '').slice(0, 40).replace(/-+$/, '');
  const hash = createHash('sha256').update(path).digest('hex').slice(0, 8);
  return slug === '' ? `cache-${hash}` : `${slug}-${hash}`;
}
