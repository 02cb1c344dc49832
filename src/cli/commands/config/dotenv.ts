// Reads a .env file (dotenv syntax) into keys and values, or fails naming the line: what `slipway config import` sends.
//
// Accepted: blank lines and `#` comments; an optional `export ` before the key; `KEY=value` with spaces around `=`
// allowed; unquoted values trimmed, ending at ` #` (a comment); 'single' (literal) and "double" quotes, both may span
// lines; in double quotes \n \r \t \\ \" are escapes (any other backslash stays as written). No ${VAR} expansion:
// values arrive as written. A key given twice: the last one wins, as with dotenv.

import { SlipwayError } from '../../../core/errors.js';

export interface DotenvEntry {
  readonly key: string;
  readonly value: string;
  /** 1-based line where the entry starts. */
  readonly line: number;
}

const KEY_LINE = /^\s*(?:export\s+)?([^=\s]+)\s*=\s*(.*)$/s;
const ESCAPES: Readonly<Record<string, string>> = { n: '\n', r: '\r', t: '\t', '\\': '\\', '"': '"' };

export function parseDotenv(text: string, file: string): DotenvEntry[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const entries: DotenvEntry[] = [];
  const bad = (line: number, problem: string, hint: string) =>
    new SlipwayError('invalid_input', `${file}:${line}: ${problem}`, { field: file, hint });
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const raw = lines[i]!;
    if (raw.trim() === '' || raw.trimStart().startsWith('#')) continue;
    const m = KEY_LINE.exec(raw);
    if (m === null) throw bad(lineNo, 'expected KEY=VALUE', 'write one KEY=VALUE per line; comments start with #');
    const key = m[1]!;
    let rest = m[2]!;
    const quote = rest[0];
    if (quote !== '"' && quote !== "'") {
      entries.push({ key, value: rest.replace(/\s+#.*$/, '').trim(), line: lineNo });
      continue;
    }
    // A quoted value: read on, across lines, up to the closing quote.
    let value = '';
    let j = 1;
    let closed = false;
    for (;;) {
      while (j < rest.length) {
        const c = rest[j]!;
        if (c === quote) {
          closed = true;
          break;
        }
        if (quote === '"' && c === '\\' && j + 1 < rest.length) {
          const next = rest[j + 1]!;
          value += ESCAPES[next] ?? `\\${next}`;
          j += 2;
          continue;
        }
        value += c;
        j++;
      }
      if (closed || i + 1 >= lines.length) break;
      value += '\n';
      i++;
      rest = lines[i]!;
      j = 0;
    }
    if (!closed) throw bad(lineNo, `the ${quote === '"' ? 'double' : 'single'} quote opened here is never closed`, `close the value with ${quote}`);
    const after = rest.slice(j + 1);
    if (after.trim() !== '' && !/^\s+#/.test(after) && !after.trim().startsWith('#')) {
      throw bad(i + 1, `unexpected ${JSON.stringify(after.trim())} after the closing quote`, 'put a comment after a space and #, or quote the whole value');
    }
    entries.push({ key, value, line: lineNo });
  }
  return entries;
}
