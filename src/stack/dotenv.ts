// Reads `.env` and `env_file` files as compose does: KEY=value lines, `export`, comments, single and double quotes.

export interface DotenvResult {
  readonly values: Record<string, string>;
  /** 1-based lines that are not KEY=value. */
  readonly errors: readonly { readonly line: number; readonly message: string }[];
}

const KEY = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const ESCAPES: Readonly<Record<string, string>> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\', $: '$' };

export function parseDotenv(text: string): DotenvResult {
  const values: Record<string, string> = {};
  const errors: { line: number; message: string }[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').trim();
    if (line === '' || line.startsWith('#')) continue;
    const body = line.startsWith('export ') ? line.slice(7).trimStart() : line;
    const eq = body.indexOf('=');
    const key = (eq < 0 ? body : body.slice(0, eq)).trim();
    if (!KEY.test(key)) {
      errors.push({ line: i + 1, message: `"${key.slice(0, 40)}" is not a variable name` });
      continue;
    }
    if (eq < 0) {
      errors.push({ line: i + 1, message: `${key} has no value (write ${key}=value)` });
      continue;
    }
    let raw = body.slice(eq + 1).trimStart();
    const quote = raw[0];
    if (quote === '"' || quote === "'") {
      // A quoted value may span lines, as in compose's dotenv.
      let j = i;
      while (!closes(raw, quote) && j + 1 < lines.length) raw += `\n${lines[++j] ?? ''}`;
      const end = closingQuote(raw, quote);
      if (end < 0) {
        errors.push({ line: i + 1, message: `${key}: unterminated ${quote === '"' ? 'double' : 'single'} quote` });
        i = j;
        continue;
      }
      const inner = raw.slice(1, end);
      values[key] = quote === "'" ? inner : inner.replace(/\\(.)/g, (m, c: string) => ESCAPES[c] ?? m);
      i = j;
    } else {
      // An unquoted value ends at " #" (a comment), as compose reads it.
      const hash = raw.search(/\s#/);
      values[key] = (hash < 0 ? raw : raw.slice(0, hash)).trim();
    }
  }
  return { values, errors };
}

function closes(raw: string, quote: string): boolean {
  return closingQuote(raw, quote) > 0;
}

function closingQuote(raw: string, quote: string): number {
  for (let i = 1; i < raw.length; i++) {
    if (quote === '"' && raw[i] === '\\') i++;
    else if (raw[i] === quote) return i;
  }
  return -1;
}
