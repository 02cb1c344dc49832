// Masks secret values in streamed build and step logs, also when encoded or split across chunks.
//
// What is masked, for each secret value (and for the value with surrounding whitespace trimmed, since files and
// `$(cat …)` differ by a trailing newline):
// - the value itself, whatever its length: a short secret printed in clear is still leaked, and the cost of
//   masking it (a "***" for every "1234" in the log) is cosmetic and tells the user to make it a plain variable.
//   Woodpecker does the same (any non-empty value); only blank values are ignored, as they would mask all spacing;
// - its URL-encoded forms (encodeURIComponent, and form encoding with + for spaces);
// - its JSON-escaped forms (as JSON.stringify writes it, ASCII-only \uXXXX as Python writes it, \/ as PHP adds,
//   and <>& escaped as Go writes it);
// - its base64, standard and URL-safe: the whole encoding (padded, unpadded, and wrapped at 76 columns as
//   coreutils `base64` prints it), and, for a value inside a longer base64 text, the characters that depend only on
//   the value for each of the three byte alignments it can have there (a few bits at the edges stay visible);
// - its hex, lower and upper case (`xxd -p`, `od`, Buffer#toString('hex')), also wrapped at 60 columns as `xxd -p`
//   prints it;
// - its backslash-escaped forms: shell quoting (`printf %q`, shlex) and every non-word character escaped (Perl's
//   quotemeta, regular-expression escaping);
// - for a multi-line value, each of its lines, trimmed, so a value printed over several lines is masked too.
// Lines and base64 fragments shorter than MIN_PART are not masked: they would hide ordinary words and random base64.
//
// Overlapping occurrences (of one secret or of several) are masked as one run: every character that is part of any
// occurrence is hidden, and the output does not depend on how the input was cut into chunks.
// A write returns everything except the shortest tail that could still become an occurrence: the longest end of the
// text that is a proper prefix of some form (so at most longest form − 1 characters, and usually none). That text
// is held until more data or flush(). Nothing else is held, so no timed flush is needed: a secret printed in two
// parts with a pause between them is masked whole, and output that cannot start a secret is shown at once.
// The held tail is found with an Aho–Corasick automaton over the forms, fed the stream (or, for a long chunk, only
// its last longest-form characters); occurrences are found with native indexOf over the held tail and the chunk.
// Cost per write is proportional to (chunk + held tail) × number of forms: linear in the stream.

export const MASK = '***';

/** Shortest line of a multi-line secret, or base64 fragment, that is masked on its own. */
export const MIN_PART = 4;

export class LogMasker {
  readonly #forms: readonly string[];
  /** The longest held tail: longest form − 1 characters. */
  readonly #keep: number;
  /** Built on the first write (maskSecrets never needs it). */
  #prefixes: PrefixAutomaton | null = null;
  /** Automaton state after the text written since the last flush (or at least its last #keep characters). */
  #state = 0;
  #pending = '';
  /** How many characters at the start of #pending lie in a run whose MASK was already written. */
  #covered = 0;

  constructor(secrets: readonly string[]) {
    this.#forms = [...new Set(secrets.flatMap(maskedForms))];
    this.#keep = Math.max(0, ...this.#forms.map((f) => f.length - 1));
  }

  /** Masked text ready to show: all of it but a tail that may start a secret (it comes out later). */
  write(chunk: string): string {
    if (this.#forms.length === 0) return chunk;
    this.#prefixes ??= new PrefixAutomaton(this.#forms);
    // A held tail is at most #keep long, so a long chunk's earlier characters cannot be part of it.
    const fromRoot = chunk.length >= this.#keep;
    this.#state = this.#prefixes.feed(fromRoot ? 0 : this.#state, chunk, fromRoot ? chunk.length - this.#keep : 0);
    const text = this.#pending + chunk;
    return this.#emit(text, text.length - this.#prefixes.held(this.#state));
  }

  /** Everything held back and `last` (the end of the stream), masked; the masker is then as new and can go on. */
  flush(last = ''): string {
    const out = this.#emit(this.#pending + last, this.#pending.length + last.length);
    this.#pending = '';
    this.#covered = 0;
    this.#state = 0;
    return out;
  }

  /** Writes text[0, upTo) masked and keeps the rest. Occurrences starting before upTo are complete in text. */
  #emit(text: string, upTo: number): string {
    let out = '';
    // End of the last mask run; text before it is written (as itself or as MASK).
    let done = this.#covered;
    for (const [start, end] of occurrences(text, this.#forms)) {
      if (start >= upTo) break;
      if (start < done) {
        done = Math.max(done, end); // overlaps the current run: one MASK for both
      } else {
        out += text.slice(done, start) + MASK;
        done = end;
      }
    }
    if (done < upTo) out += text.slice(done, upTo);
    this.#covered = Math.max(0, done - upTo);
    this.#pending = text.slice(upTo);
    return out;
  }
}

/** Masks a whole text at once: for error messages and other text that does not stream. */
export function maskSecrets(text: string, secrets: readonly string[]): string {
  return new LogMasker(secrets).flush(text);
}

/** Every [start, end) where a form occurs, overlapping ones included, by start then longest first. */
function occurrences(text: string, forms: readonly string[]): [number, number][] {
  const found: [number, number][] = [];
  // One native indexOf pass per form beats a JS automaton for the few dozen forms an app has.
  for (const form of forms) {
    for (let i = text.indexOf(form); i !== -1; i = text.indexOf(form, i + 1)) found.push([i, i + form.length]);
  }
  return found.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
}

/** The strings masked for one secret value (see the top of this file). */
export function maskedForms(secret: string): string[] {
  const trimmed = secret.trim();
  if (trimmed === '') return [];
  const forms = [secret, trimmed].flatMap((value) => [value, ...urlForms(value), ...jsonForms(value), ...base64Forms(value), ...hexForms(value), ...backslashForms(value)]);
  if (/[\r\n]/.test(trimmed)) {
    for (const line of trimmed.split(/\r\n|\r|\n/)) if (line.trim().length >= MIN_PART) forms.push(line.trim());
  }
  return [...new Set(forms)];
}

function urlForms(value: string): string[] {
  return [encodeURIComponent(value), new URLSearchParams([['', value]]).toString().slice(1)];
}

const unicodeEscape = (c: string): string => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

function jsonForms(value: string): string[] {
  const json = JSON.stringify(value).slice(1, -1);
  const ascii = json.replace(/[\u0080-\uffff]/g, unicodeEscape);
  return [json, ascii, ascii.replace(/\//g, '\\/'), json.replace(/[<>&\u2028\u2029]/g, unicodeEscape)];
}

function hexForms(value: string): string[] {
  const hex = Buffer.from(value, 'utf8').toString('hex');
  const forms = [hex, hex.toUpperCase()];
  if (hex.length > 60) forms.push(...forms.map((f) => f.replace(/.{60}(?=.)/g, '$&\n')));
  return forms;
}

/** Shell-special characters that `printf %q` and shlex escape with a backslash. */
const SHELL_SPECIAL = /[ !"#$&'()*,;<>?[\\\]^`{|}~]/g;

function backslashForms(value: string): string[] {
  return [value.replace(SHELL_SPECIAL, '\\$&'), value.replace(/[^A-Za-z0-9_]/g, '\\$&')];
}

function base64Forms(value: string): string[] {
  const bytes = Buffer.from(value, 'utf8');
  const whole = bytes.toString('base64');
  const forms = [whole, whole.replace(/=+$/, '')];
  if (whole.length > 76) forms.push(whole.replace(/.{76}(?=.)/g, '$&\n'));
  // Inside a longer base64 text the value starts 0, 1 or 2 bytes into a 3-byte group. Output character j carries
  // bits [6j, 6j+6) of the group-aligned stream; keep the characters whose bits all come from the value.
  for (let offset = 0; offset < 3; offset++) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
    forms.push(encoded.slice(Math.ceil((8 * offset) / 6), Math.floor((8 * (offset + bytes.length)) / 6)));
  }
  const urlSafe = forms.map((f) => f.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''));
  return [...forms, ...urlSafe].filter((f) => f.length >= MIN_PART);
}

/**
 * Aho–Corasick automaton over the forms (a trie with failure links). After reading a text from the root, the state
 * is the longest end of the text that is a prefix of some form; held() gives the longest such end that is a proper
 * prefix (a trie node with children), i.e. the tail that may still grow into an occurrence.
 * Stored in typed arrays, children as first-child/next-sibling lists (only the root's in a Map, as most characters
 * of a log fall back to it): a 4 KB private key has about 100 000 states, which as one Map each took ~9 MB.
 */
class PrefixAutomaton {
  readonly #rootNext = new Map<number, number>();
  /** Per state: the UTF-16 code unit (what indexOf matches) leading to it, its first child, its next sibling. */
  readonly #code: Uint16Array;
  readonly #child: Int32Array;
  readonly #sibling: Int32Array;
  readonly #fail: Int32Array;
  readonly #held: Int32Array;

  constructor(forms: readonly string[]) {
    const capacity = 1 + forms.reduce((n, f) => n + f.length, 0);
    this.#code = new Uint16Array(capacity);
    this.#child = new Int32Array(capacity).fill(-1);
    this.#sibling = new Int32Array(capacity).fill(-1);
    this.#fail = new Int32Array(capacity);
    this.#held = new Int32Array(capacity);
    const depth = new Int32Array(capacity);
    let size = 1;
    for (const form of forms) {
      let s = 0;
      for (let i = 0; i < form.length; i++) {
        const c = form.charCodeAt(i);
        let t = this.#goto(s, c);
        if (t === -1) {
          t = size++;
          this.#code[t] = c;
          depth[t] = i + 1;
          if (s === 0) this.#rootNext.set(c, t);
          else {
            this.#sibling[t] = this.#child[s] ?? -1;
            this.#child[s] = t;
          }
        }
        s = t;
      }
    }
    // Breadth first, so a state's failure link (a shorter state) is complete before the state itself.
    const queue = new Int32Array(size);
    let tail = 1;
    for (let q = 0; q < tail; q++) {
      const s = queue[q] ?? 0;
      const hasChildren = s === 0 ? this.#rootNext.size > 0 : this.#child[s] !== -1;
      this.#held[s] = hasChildren ? depth[s] ?? 0 : this.#held[this.#fail[s] ?? 0] ?? 0;
      const children = s === 0 ? [...this.#rootNext.values()] : this.#childrenOf(s);
      for (const t of children) {
        this.#fail[t] = s === 0 ? 0 : this.#step(this.#fail[s] ?? 0, this.#code[t] ?? 0);
        queue[tail++] = t;
      }
    }
  }

  /** The state after reading text[from..] from `state`. */
  feed(state: number, text: string, from: number): number {
    let s = state;
    for (let i = from; i < text.length; i++) s = this.#step(s, text.charCodeAt(i));
    return s;
  }

  /** Length of the tail to hold back in `state`. */
  held(state: number): number {
    return this.#held[state] ?? 0;
  }

  #step(state: number, c: number): number {
    let s = state;
    for (;;) {
      const t = this.#goto(s, c);
      if (t !== -1) return t;
      if (s === 0) return 0;
      s = this.#fail[s] ?? 0;
    }
  }

  /** The child of `s` for `c`, or -1. */
  #goto(s: number, c: number): number {
    if (s === 0) return this.#rootNext.get(c) ?? -1;
    for (let t = this.#child[s] ?? -1; t !== -1; t = this.#sibling[t] ?? -1) if (this.#code[t] === c) return t;
    return -1;
  }

  #childrenOf(s: number): number[] {
    const out: number[] = [];
    for (let t = this.#child[s] ?? -1; t !== -1; t = this.#sibling[t] ?? -1) out.push(t);
    return out;
  }
}
