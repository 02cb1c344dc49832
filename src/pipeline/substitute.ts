// `${VAR}` substitution in images, commands, environment and settings, as Drone and Woodpecker do before running:
// known variables (DRONE_*, CI_*, matrix axes) are replaced, `$$` stands for `$`. Unknown names are left as
// written, so the shell still expands the step's own variables at run time (Drone would blank them).

export type Vars = Readonly<Record<string, string>>;

const MAX_EXPRESSION = 256;

/** Drone's envsubst operators people use in tags: substring, case, prefix/suffix removal, replacement. */
function apply(value: string, op: string): string | null {
  if (op === '') return value;
  if (op === '^^') return value.toUpperCase();
  if (op === ',,') return value.toLowerCase();
  if (op === '^') return value.charAt(0).toUpperCase() + value.slice(1);
  if (op === ',') return value.charAt(0).toLowerCase() + value.slice(1);
  let m = /^:-?(.*)$|^:?=(.*)$/.exec(op);
  if (m !== null && !/^:[0-9]/.test(op)) return value === '' ? m[1] ?? m[2] ?? '' : value;
  m = /^:([0-9]+)(?::([0-9]+))?$/.exec(op);
  if (m !== null) {
    const start = Number(m[1]);
    return m[2] === undefined ? value.slice(start) : value.slice(start, start + Number(m[2]));
  }
  m = /^(##?|%%?)(.*)$/.exec(op);
  if (m !== null) {
    const text = m[2] ?? '';
    if (m[1]?.startsWith('#')) return value.startsWith(text) ? value.slice(text.length) : value;
    return value.endsWith(text) ? value.slice(0, value.length - text.length) : value;
  }
  m = /^(\/\/?)((?:\\\/|[^/])*)\/(.*)$/.exec(op);
  if (m !== null) {
    const from = (m[2] ?? '').replace(/\\\//g, '/');
    const to = m[3] ?? '';
    if (from === '') return value;
    return m[1] === '//' ? value.split(from).join(to) : value.replace(from, () => to);
  }
  return null;
}

export function substitute(text: string, vars: Vars): string {
  if (!text.includes('$')) return text;
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '$' && text[i + 1] === '$') {
      out += '$';
      i += 2;
      continue;
    }
    if (c === '$' && text[i + 1] === '{') {
      // Expressions are short; a bounded look-ahead keeps a fuzzed "${${${…" line linear.
      const close = text.slice(i + 2, i + 2 + MAX_EXPRESSION).indexOf('}');
      const end = close < 0 ? -1 : i + 2 + close;
      const m = end < 0 ? null : /^([A-Za-z_][A-Za-z0-9_]*)(.*)$/s.exec(text.slice(i + 2, end));
      const name = m?.[1];
      const value = name !== undefined && Object.hasOwn(vars, name) ? vars[name] : undefined;
      const replaced = value === undefined ? null : apply(value, m?.[2] ?? '');
      if (replaced !== null) {
        out += replaced;
        i = end + 1;
        continue;
      }
    }
    out += c;
    i += 1;
  }
  return out;
}

/** Substitutes every string inside plain data (plugin settings). */
export function substituteDeep(value: unknown, vars: Vars): unknown {
  if (typeof value === 'string') return substitute(value, vars);
  if (Array.isArray(value)) return value.map((v) => substituteDeep(v, vars));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substituteDeep(v, vars)]));
  }
  return value;
}

/** `$$` → `$` only: what commands get, so `$${VAR}` written for Drone reaches the shell as `${VAR}`. */
export function unescapeDollars(text: string): string {
  return text.replace(/\$\$/g, '$');
}

/** Names referenced as `${NAME…}` (not `$${…}`), for lint. */
export function referencedNames(text: string): string[] {
  const out: string[] = [];
  for (const m of text.replace(/\$\$/g, '').matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)/g)) if (m[1] !== undefined) out.push(m[1]);
  return out;
}
