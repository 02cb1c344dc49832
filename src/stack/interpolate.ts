// Compose variable interpolation (`$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?error}`,
// `${VAR?error}`, `${VAR:+alt}`, `${VAR+alt}`, `$$`) over Slipway's variables and the `.env` file's: the server has
// no shell environment a file could meaningfully read.

import type { ComposeVariables } from './model.js';

export type Interpolated = { readonly value: string } | { readonly error: string };

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;
const MAX_DEPTH = 8;

export function interpolate(text: string, vars: ComposeVariables, depth = 0): Interpolated {
  if (depth > MAX_DEPTH) return { error: 'variables nested too deeply' };
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c !== '$') {
      out += c;
      continue;
    }
    const next = text[i + 1];
    if (next === '$') {
      out += '$';
      i++;
      continue;
    }
    if (next === '{') {
      const end = closingBrace(text, i + 2);
      if (end < 0) return { error: `"\${" without a closing "}"` };
      const r = expand(text.slice(i + 2, end), vars, depth);
      if ('error' in r) return r;
      out += r.value;
      i = end;
      continue;
    }
    // Inside a default (`${A:-$2y$05$…}`, a bcrypt hash in a Traefik label) a bare `$` is literal, as docker stack
    // deploy reads defaults; only `${…}` is replaced there.
    if (depth > 0) {
      out += c;
      continue;
    }
    const name = NAME.exec(text.slice(i + 1))?.[0];
    if (name === undefined) return { error: 'a "$" that starts no variable: write $$ for a literal $' };
    const r = lookup(name, vars);
    if ('error' in r) return r;
    out += r.value;
    i += name.length;
  }
  return { value: out };
}

function expand(inner: string, vars: ComposeVariables, depth: number): Interpolated {
  const name = NAME.exec(inner)?.[0];
  if (name === undefined) return { error: `invalid variable "\${${inner.slice(0, 40)}}"` };
  const rest = inner.slice(name.length);
  if (rest === '') return lookup(name, vars);
  const op = /^(:?[-?+])/.exec(rest)?.[1];
  if (op === undefined) return { error: `invalid variable "\${${inner.slice(0, 40)}}"` };
  const word = rest.slice(op.length);
  const value = vars[name];
  const known = typeof value === 'string';
  // With ":" an empty value counts as unset, as in the shell and in compose.
  const set = known && (op.startsWith(':') ? value !== '' : true);
  if (op.endsWith('-')) return set ? { value: value as string } : interpolate(word, vars, depth + 1);
  if (op.endsWith('+')) return set ? interpolate(word, vars, depth + 1) : { value: '' };
  if (set) return { value: value as string };
  const message = interpolate(word, vars, depth + 1);
  return { error: `${name}: ${'value' in message && message.value !== '' ? message.value : 'is not set'}` };
}

function lookup(name: string, vars: ComposeVariables): Interpolated {
  const value = Object.hasOwn(vars, name) ? vars[name] : undefined;
  if (typeof value === 'string') return { value };
  if (value !== undefined) return { error: `${name} has no value here: ${value.missing}` };
  const names = Object.keys(vars);
  const known = names.length > 8 ? `${names.slice(0, 8).join(', ')} and ${names.length - 8} more` : names.join(', ');
  return { error: `variable ${name} is not set: Slipway sets only ${known}; set it in the app's settings or the .env file, or write $$${name} for a variable the container reads itself` };
}

/** Index of the "}" closing a "${" whose content starts at `from`, counting nested "${…}". */
function closingBrace(text: string, from: number): number {
  let depth = 1;
  for (let i = from; i < text.length; i++) {
    if (text[i] === '$' && text[i + 1] === '{') {
      depth++;
      i++;
    } else if (text[i] === '}' && --depth === 0) return i;
  }
  return -1;
}
