// Glob matching for branch, ref, tag, path and matrix filters (picomatch, doublestar-like as in Drone/Woodpecker:
// `*` stops at `/`, `**` crosses it, dot files match).

import picomatch from 'picomatch';

type Matcher = (value: string) => boolean;

const MAX_PATTERN = 1000;
const cache = new Map<string, Matcher>();

/** An error message when the pattern cannot be used, else null. Lint calls it, so compile never meets a bad one. */
export function checkGlob(pattern: string): string | null {
  if (pattern.length > MAX_PATTERN) return `pattern is longer than ${MAX_PATTERN} characters`;
  try {
    matcher(pattern);
    return null;
  } catch (err) {
    return `invalid pattern: ${err instanceof Error ? err.message : String(err)}`;
  }
}

/**
 * Lint has vetted written patterns, but a pattern built from `${CI_…}` at compile time has not: one picomatch
 * refuses is compared literally rather than failing the whole run.
 */
export function globMatch(pattern: string, value: string): boolean {
  if (pattern.length > MAX_PATTERN) return pattern === value;
  let m: Matcher;
  try {
    m = matcher(pattern);
  } catch {
    return pattern === value;
  }
  return m(value);
}

function matcher(pattern: string): Matcher {
  let m = cache.get(pattern);
  if (m === undefined) {
    // Bounded: patterns come from user files, and a long-running server compiles many of them.
    if (cache.size > 2000) cache.clear();
    m = picomatch(pattern, { dot: true });
    cache.set(pattern, m);
  }
  return m;
}
