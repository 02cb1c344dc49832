// Plain-text output: aligned tables, short digests and commits, times, and colour only on a terminal.

import type { CliIO, CliOutput } from './command.js';

const ANSI = /\u001b\[[0-9;]*m/g;
const CODES = { red: 31, green: 32, yellow: 33, dim: 2, bold: 1 } as const;
export type Colour = keyof typeof CODES;

/** Colours `text` when `out` is a terminal and NO_COLOR is unset; piped output stays plain. */
export function paint(io: CliIO, out: CliOutput, colour: Colour, text: string): string {
  const noColour = io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '';
  if (out.isTTY !== true || noColour) return text;
  return `\u001b[${CODES[colour]}m${text}\u001b[0m`;
}

/** The colour a run or release status is shown in. */
export function statusColour(status: string): Colour {
  if (status === 'succeeded' || status === 'live') return 'green';
  if (status === 'failed' || status === 'cancelled' || status === 'rolled_back') return 'red';
  if (status === 'running' || status === 'queued' || status === 'deploying') return 'yellow';
  return 'dim';
}

/** Columns padded to their widest cell (measured without colour codes); the last column is not padded. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const all = [header, ...rows];
  const widths = header.map((_, col) => Math.max(...all.map((row) => visibleLength(row[col] ?? ''))));
  const lines = all.map((row) =>
    row
      .map((cell, col) => (col === row.length - 1 ? cell : cell + ' '.repeat((widths[col] ?? 0) - visibleLength(cell))))
      .join('  ')
      .trimEnd(),
  );
  return lines.join('\n') + '\n';
}

/** `label  value` lines with the labels aligned, for single-object views such as `status`. */
export function fields(pairs: readonly (readonly [string, string])[]): string {
  const width = Math.max(...pairs.map(([label]) => label.length));
  return pairs.map(([label, value]) => `${label.padEnd(width)}  ${value}`).join('\n') + '\n';
}

function visibleLength(text: string): number {
  return text.replace(ANSI, '').length;
}

/** `registry/app@sha256:0123…` → `sha256:0123456789ab`; a reference without a digest is shown as is. */
export function shortDigest(image: string): string {
  const at = image.lastIndexOf('@');
  if (at < 0) return image;
  const digest = image.slice(at + 1);
  const [algo, hex] = digest.split(':');
  return hex === undefined ? digest : `${algo}:${hex.slice(0, 12)}`;
}

export function shortCommit(commit: string): string {
  return commit.slice(0, 7);
}

/** An ISO timestamp as `2024-05-01 12:34Z`: stable, sortable, and the same on every machine. */
export function when(iso: string | null): string {
  if (iso === null) return '-';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 16).replace('T', ' ')}Z`;
}
