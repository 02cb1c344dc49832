// Lint findings as the CLI prints them: `file:line:col: error|warning: message`, the hint on the next line.

import type { LintFinding } from '../../core/plan.js';
import type { CliIO } from '../command.js';
import { paint } from '../format.js';

/** Writes each finding to stdout, the severity coloured on a terminal. */
export function printFindings(io: CliIO, findings: readonly LintFinding[]): void {
  for (const f of findings) {
    const { file, line, column } = f.location;
    const severity = paint(io, io.stdout, f.severity === 'error' ? 'red' : 'yellow', `${f.severity}:`);
    io.stdout.write(`${file}:${line}:${column}: ${severity} ${f.message}\n${f.hint === undefined ? '' : `  ${paint(io, io.stdout, 'dim', 'hint:')} ${f.hint}\n`}`);
  }
}

/** "2 errors, 1 warning"; "" for none. */
export function countFindings(findings: readonly LintFinding[]): string {
  const errors = findings.filter((f) => f.severity === 'error').length;
  const warnings = findings.length - errors;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return [errors > 0 ? plural(errors, 'error') : '', warnings > 0 ? plural(warnings, 'warning') : ''].filter((s) => s !== '').join(', ');
}
