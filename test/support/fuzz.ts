// Seeded random inputs and the tally every abuse and fuzz suite prints: inputs, crashes, the slowest input and
// event-loop stalls. The seed is printed, and SLIPWAY_FUZZ_SEED replays a failing run exactly.

import { performance } from 'node:perf_hooks';

/** mulberry32: small, fast, and the same sequence for the same seed on every machine. */
export class Rng {
  #state: number;
  constructor(readonly seed: number) {
    this.#state = seed >>> 0;
  }
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
  /** Characters that break parsers: quotes, YAML and shell syntax, controls, surrogates, look-alikes. */
  char(): string {
    const r = this.int(10);
    if (r < 4) return String.fromCharCode(0x20 + this.int(95));
    if (r < 6) return this.pick([':', '-', ' ', '\n', '#', '&', '*', '!', '|', '>', '{', '}', '[', ']', ',', '"', "'", '%', '@', '`', '$', '\\', '~', '?', '=']);
    if (r < 7) return String.fromCharCode(this.int(32));
    if (r < 8) return this.pick(['\u0000', '\u007f', '\u0085', '\u00a0', '\u2028', '\u202e', '\ufeff', '\ud800', '\udfff', 'é', 'а', '😀', '\uffff']);
    return String.fromCharCode(0x61 + this.int(26));
  }
  text(max: number): string {
    let s = '';
    const n = this.int(max + 1);
    for (let i = 0; i < n; i++) s += this.char();
    return s;
  }
  bytes(max: number): Uint8Array {
    const out = new Uint8Array(this.int(max + 1));
    for (let i = 0; i < out.length; i++) out[i] = this.int(256);
    return out;
  }
  /** Any JSON value, nested up to `depth`. */
  json(depth = 3): unknown {
    const r = this.int(depth <= 0 ? 6 : 9);
    switch (r) {
      case 0: return null;
      case 1: return this.chance(0.5);
      case 2: return this.pick([0, -1, 1, 1.5, 2 ** 53, -(2 ** 31), 1e308, 3000, 65535, 65536]);
      case 3: case 4: return this.text(20);
      case 5: return this.pick(['main', 'web', 'web.example.com', '@daily', 'refs/heads/main', 'a'.repeat(5000), '__proto__', 'constructor']);
      case 6: case 7: {
        const o: Record<string, unknown> = {};
        const n = this.int(5);
        for (let i = 0; i < n; i++) o[this.chance(0.6) ? this.pick(JSON_KEYS) : this.text(8)] = this.json(depth - 1);
        return o;
      }
      default: return Array.from({ length: this.int(4) }, () => this.json(depth - 1));
    }
  }
}

/** Keys the API knows, so random bodies get past "unknown field" often enough to reach the deeper checks. */
const JSON_KEYS = ['name', 'domain', 'port', 'replicas', 'branch', 'concurrency', 'release', 'environment', 'params', 'value', 'expr', 'repo', 'token', 'webhookSecret', 'app', 'updates', 'ref', 'newSha', 'oldSha', '__proto__', 'constructor'];

/** The seed of this run: SLIPWAY_FUZZ_SEED to replay, otherwise a new one. */
export function fuzzSeed(): number {
  const given = process.env.SLIPWAY_FUZZ_SEED;
  return given !== undefined && /^[0-9]+$/.test(given) ? Number(given) >>> 0 : (Date.now() ^ (process.pid << 16)) >>> 0;
}

/** One small random edit of a text: the fixtures stay nearly valid, so the readers' deep paths are reached. */
export function mutate(rng: Rng, text: string): string {
  let s = text;
  const edits = 1 + rng.int(4);
  for (let i = 0; i < edits; i++) {
    const at = rng.int(s.length + 1);
    const len = rng.int(Math.min(40, s.length - at) + 1);
    switch (rng.int(8)) {
      case 0: s = s.slice(0, at) + s.slice(at + len); break; // delete
      case 1: s = s.slice(0, at) + s.slice(at, at + len).repeat(1 + rng.int(4)) + s.slice(at + len); break; // repeat
      case 2: s = s.slice(0, at) + rng.text(8) + s.slice(at); break; // insert noise
      case 3: s = s.slice(0, at) + rng.pick(YAML_TOKENS) + s.slice(at); break; // insert syntax
      case 4: s = s.slice(0, at); break; // truncate
      case 5: { // swap two lines
        const lines = s.split('\n');
        const a = rng.int(lines.length);
        const b = rng.int(lines.length);
        [lines[a], lines[b]] = [lines[b]!, lines[a]!];
        s = lines.join('\n');
        break;
      }
      case 6: { // re-indent a line
        const lines = s.split('\n');
        const a = rng.int(lines.length);
        lines[a] = rng.pick(['', ' ', '  ', '    ', '\t']) + lines[a]!.trimStart();
        s = lines.join('\n');
        break;
      }
      default: { // replace a scalar after a colon with a hostile one
        const colon = s.indexOf(': ', at);
        if (colon >= 0) {
          const end = s.indexOf('\n', colon);
          s = s.slice(0, colon + 2) + rng.pick(HOSTILE_SCALARS) + (end < 0 ? '' : s.slice(end));
        }
      }
    }
  }
  return s;
}

const YAML_TOKENS = [
  '&a ', '*a', '<<: *a\n', '!!binary ', '!!python/object ', '!!str ', '? ', '- ', ': ', '{', '}', '[', ']', '|\n', '>-\n', '---\n', '...\n',
  '%YAML 1.1\n', '%TAG ! tag:x:\n', '"', "'", '#', '\n  ', '${', '$${X}', '${X:-${Y:-${Z}}}', '${X:?boom}', '~', 'null', '0x1F', '1e9999', '.nan', '-.inf',
  '2001-01-01', 'yes', 'on', 'NO', '"\\u0000"', '"\\ud800"',
];

const HOSTILE_SCALARS = [
  '"$(touch /tmp/x)"', '../../etc/passwd', '/etc/shadow', '--upload-pack=x', '-oProxyCommand=x', 'ext::sh', 'file:///etc', '[]', '{}', '~', '-1',
  '99999999999999999999', '1.5', '"a\\u0000b"', '*undefined_alias', '&anchor [*anchor]', '"${UNSET:?}"', '"${A}${B}${C}"', 'x'.repeat(300), '0', 'true', '"" ',
];

export interface Slowest {
  readonly label: string;
  readonly ms: number;
}

/** Counts one suite's inputs: crashes (with the first few, for the report), the slowest input, stalls over 1 s. */
export class Tally {
  inputs = 0;
  crashes: string[] = [];
  slowest: Slowest = { label: '(none)', ms: 0 };
  stalls = 0;
  readonly counts = new Map<string, number>();

  constructor(readonly name: string) {}

  /** Times one input; `fn` returns a crash description or null. An exception that escapes is a crash too. */
  async measure(label: string, fn: () => Promise<string | null> | string | null): Promise<void> {
    this.inputs += 1;
    const start = performance.now();
    let crash: string | null;
    try {
      crash = await fn();
    } catch (err) {
      crash = `threw ${err instanceof Error ? `${err.constructor.name}: ${err.message}` : String(err)}`;
    }
    const ms = performance.now() - start;
    if (ms > this.slowest.ms) this.slowest = { label, ms };
    if (ms > 1000) this.stalls += 1;
    if (crash !== null) this.crashes.push(`${label}: ${crash}`.slice(0, 600));
  }

  count(key: string, by = 1): void {
    this.counts.set(key, (this.counts.get(key) ?? 0) + by);
  }

  summary(): string {
    const extra = [...this.counts].map(([k, v]) => `${v} ${k}`).join(', ');
    return `${this.name}: ${this.inputs} inputs, ${extra ? `${extra}, ` : ''}${this.crashes.length} crashes, ${this.stalls} stalls over 1 s, slowest ${this.slowest.ms.toFixed(1)} ms (${this.slowest.label.slice(0, 120)})`;
  }
}

/** A label that shows an input in a test name or the report without its control characters. */
export function show(value: unknown, max = 80): string {
  const s = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  return JSON.stringify(s.length > max ? `${s.slice(0, max)}…` : s);
}
