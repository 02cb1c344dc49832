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
// - for a multi-line value, each of its lines, trimmed, so a value printed over several lines is masked too.
// Lines and base64 fragments shorter than MIN_PART are not masked: they would hide ordinary words and random base64.
//
// Overlapping occurrences (of one secret or of several) are masked as one run: every character that is part of any
// occurrence is hidden, and the output does not depend on how the input was cut into chunks. The masker holds back
// the last (longest form − 1) characters until more data or flush(), as they may start an occurrence.
// Cost per write is proportional to (chunk + longest form) × number of forms: linear in the stream.

export const MASK = '***';

/** Shortest line of a multi-line secret, or base64 fragment, that is masked on its own. */
export const MIN_PART = 4;

export class LogMasker {
  readonly #forms: readonly string[];
  /** How many characters may belong to an occurrence not yet complete: longest form − 1. */
  readonly #keep: number;
  #pending = '';
  /** How many characters at the start of #pending lie in a run whose MASK was already written. */
  #covered = 0;

  constructor(secrets: readonly string[]) {
    this.#forms = [...new Set(secrets.flatMap(maskedForms))];
    this.#keep = Math.max(0, ...this.#forms.map((f) => f.length - 1));
  }

  /** Masked text ready to show; may be shorter than what came in (the held-back tail comes out later). */
  write(chunk: string): string {
    if (this.#forms.length === 0) return chunk;
    const text = this.#pending + chunk;
    if (text.length <= this.#keep) {
      this.#pending = text;
      return '';
    }
    return this.#emit(text, text.length - this.#keep);
  }

  /** Everything held back, masked; the masker is then as new and can go on (e.g. after output paused). */
  flush(): string {
    const out = this.#emit(this.#pending, this.#pending.length);
    this.#pending = '';
    this.#covered = 0;
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
  const masker = new LogMasker(secrets);
  return masker.write(text) + masker.flush();
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
  const forms = [secret, trimmed].flatMap((value) => [value, ...urlForms(value), ...jsonForms(value), ...base64Forms(value)]);
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
