// Building, sorting and printing lint findings (`file:line:col: message`), and "did you mean" suggestions.

import type { LintFinding, SourceLocation } from '../core/plan.js';

/** Collects the findings of one analysis; readers report into it and carry on, so one run shows every problem. */
export class Findings {
  readonly list: LintFinding[] = [];

  error(location: SourceLocation, message: string, hint?: string): void {
    this.list.push(hint === undefined ? { severity: 'error', message, location } : { severity: 'error', message, hint, location });
  }

  warn(location: SourceLocation, message: string, hint?: string): void {
    this.list.push(hint === undefined ? { severity: 'warning', message, location } : { severity: 'warning', message, hint, location });
  }

  get hasErrors(): boolean {
    return this.list.some((f) => f.severity === 'error');
  }
}

export function sortFindings(findings: readonly LintFinding[]): LintFinding[] {
  return [...findings].sort(
    (a, b) =>
      a.location.file.localeCompare(b.location.file) ||
      a.location.line - b.location.line ||
      a.location.column - b.location.column,
  );
}

export function formatLocation(loc: SourceLocation): string {
  return `${loc.file}:${loc.line}:${loc.column}`;
}

/** One line per finding, as compilers print them; the hint, if any, after a dash. */
export function formatFinding(f: LintFinding): string {
  const hint = f.hint === undefined ? '' : ` (hint: ${f.hint})`;
  return `${formatLocation(f.location)}: ${f.severity === 'warning' ? 'warning: ' : ''}${f.message}${hint}`;
}

export function formatFindings(findings: readonly LintFinding[]): string {
  return findings.map(formatFinding).join('\n');
}

/** The closest candidate when it is plausibly a typo (edit distance ≤ 2, or ≤ a third of the word). */
export function didYouMean(word: string, candidates: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = Infinity;
  const w = word.toLowerCase();
  for (const c of candidates) {
    const d = editDistance(w, c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  const limit = Math.max(2, Math.floor(word.length / 3));
  return best !== null && bestDistance <= limit && bestDistance < word.length ? best : null;
}

/** " (did you mean "x"?)" or "". */
export function suggestion(word: string, candidates: readonly string[]): string {
  const close = didYouMean(word, candidates);
  return close === null ? '' : `; did you mean "${close}"?`;
}

function editDistance(a: string, b: string): number {
  // Long keys are never typos of short ones; bail out early so fuzzed huge keys stay cheap.
  if (Math.abs(a.length - b.length) > 3) return Math.abs(a.length - b.length);
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur.push(Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost));
    }
    prev = cur;
  }
  return prev[b.length] ?? 0;
}
