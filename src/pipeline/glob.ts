// Glob matching for branch, ref, tag, path and matrix filters, doublestar-like as in Drone/Woodpecker: `*` stops at
// `/`, `**` as a whole segment crosses it, `?`, `[a-z]`/`[!a]` classes, `{a,b}` alternation, `\` escapes, dot files
// match, a leading `!` negates. Linear-time matching (glob-nfa.ts) plus size limits: patterns come from user files.

import { compileGlob, GlobSyntaxError } from './glob-nfa.js';

type Matcher = (value: string) => boolean;

export const MAX_PATTERN = 256;
/** `*`, `?`, `[` and `{` together; real filters use a handful. */
export const MAX_WILDCARDS = 32;
const cache = new Map<string, Matcher>();

/** An error message when the pattern cannot be used, else null. Lint calls it, so compile never meets a bad one. */
export function checkGlob(pattern: string): string | null {
  if (pattern.length > MAX_PATTERN) return `pattern is longer than ${MAX_PATTERN} characters`;
  const wildcards = (pattern.replace(/\\./g, '').match(/[*?[{]/g) ?? []).length;
  if (wildcards > MAX_WILDCARDS) return `pattern has more than ${MAX_WILDCARDS} wildcards (*, ?, [ and {)`;
  try {
    matcher(pattern);
    return null;
  } catch (err) {
    if (!(err instanceof GlobSyntaxError)) throw err;
    return `invalid pattern: ${err.message}`;
  }
}

/**
 * Lint has vetted written patterns, but a pattern built from `${CI_…}` at compile time has not: one checkGlob
 * refuses is compared literally rather than failing the whole run.
 */
export function globMatch(pattern: string, value: string): boolean {
  if (checkGlob(pattern) !== null) return pattern === value;
  return matcher(pattern)(value);
}

function matcher(pattern: string): Matcher {
  let m = cache.get(pattern);
  if (m === undefined) {
    // Bounded: patterns come from user files, and a long-running server compiles many of them.
    if (cache.size > 2000) cache.clear();
    m = compileGlob(pattern);
    cache.set(pattern, m);
  }
  return m;
}
