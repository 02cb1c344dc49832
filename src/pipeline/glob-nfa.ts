// Glob patterns compiled to a small automaton and matched by simulating every state at once: time is
// O(pattern × text) whatever the pattern, unlike globs compiled to backtracking regular expressions, where
// `*a*a*a…b` takes seconds per extra character (issue 12: 29 characters froze the server for 5.8 s).

/** A pattern the matcher does not understand; the message says what to write instead. */
export class GlobSyntaxError extends Error {}

type Pred = (c: string) => boolean;
/** Thompson automaton: a state consumes one character matching `pred`, or is a split (no pred) to `outs`. */
interface State {
  readonly pred: Pred | null;
  outs: number[];
}

type Node =
  | { readonly t: 'char'; readonly pred: Pred }
  | { readonly t: 'star'; readonly slash: boolean }
  | { readonly t: 'alt'; readonly branches: readonly Node[][] }
  | { readonly t: 'opt'; readonly seq: readonly Node[] };

const NOT_SLASH: Pred = (c) => c !== '/';
const ANY: Pred = () => true;
const EXTGLOB = /(^|[^\\])[@!+*?]\(/;

/** Compiles `pattern` (Drone/Woodpecker doublestar syntax, see glob.ts) into a matcher; throws GlobSyntaxError. */
export function compileGlob(pattern: string): (text: string) => boolean {
  if (EXTGLOB.test(pattern)) throw new GlobSyntaxError('extended globs such as @(a|b) are not supported; write {a,b}');
  if (/\[\[:/.test(pattern)) throw new GlobSyntaxError('POSIX classes such as [[:alpha:]] are not supported; write [a-zA-Z]');
  let negate = false;
  let p = pattern;
  if (p.startsWith('!')) {
    negate = true;
    p = p.slice(1);
  }
  if (p.startsWith('./')) p = p.slice(2);
  const parser = new Parser(p);
  const seq = globstars(parser.seq(false));
  const states: State[] = [];
  const start = build(seq, states, -1);
  return (text) => run(states, start, text) !== negate;
}

class Parser {
  pos = 0;
  /** Where a `{` turned out literal: tried once, or `{{{{…` would take 2^n attempts. */
  private readonly literalBraces = new Set<number>();
  constructor(private readonly p: string) {}

  /** Items up to the end, or in a brace up to its `,` or `}` (left unread). */
  seq(inBrace: boolean): Node[] {
    const out: Node[] = [];
    while (this.pos < this.p.length) {
      const c = this.p[this.pos] as string;
      if (inBrace && (c === ',' || c === '}')) break;
      this.pos++;
      if (c === '\\' && this.pos < this.p.length) out.push(literal(this.p[this.pos++] as string));
      else if (c === '?') out.push({ t: 'char', pred: NOT_SLASH });
      else if (c === '*') {
        let run = 1;
        for (; this.p[this.pos] === '*'; this.pos++) run++;
        // Exactly two; three or more are a plain `*`.
        out.push({ t: 'star', slash: run === 2 });
      } else if (c === '[') out.push(this.cls() ?? literal('['));
      else if (c === '{') out.push(this.brace() ?? literal('{'));
      else out.push(literal(c));
    }
    return out;
  }

  /** `{a,b,…}` with at least one comma, or null (then `{` is a literal and nothing was consumed). */
  private brace(): Node | null {
    const at = this.pos;
    if (this.literalBraces.has(at)) return null;
    const branches: Node[][] = [this.seq(true)];
    while (this.p[this.pos] === ',') {
      this.pos++;
      branches.push(this.seq(true));
    }
    if (this.p[this.pos] === '}' && branches.length > 1) {
      this.pos++;
      return { t: 'alt', branches };
    }
    if (/^\d+\.\.\d+$|^[a-zA-Z]\.\.[a-zA-Z]$/.test(this.p.slice(at, this.p.indexOf('}', at)))) {
      throw new GlobSyntaxError('brace ranges such as {1..3} are not supported; list the values: {1,2,3}');
    }
    this.literalBraces.add(at);
    this.pos = at;
    return null;
  }

  /** `[abc]`, `[a-z]`, `[!a]`/`[^a]`; a `]` right after the opening is literal; null when never closed. */
  private cls(): Node | null {
    const at = this.pos;
    let negated = false;
    if (this.p[this.pos] === '!' || this.p[this.pos] === '^') {
      negated = true;
      this.pos++;
    }
    const ranges: [string, string][] = [];
    let first = true;
    while (this.pos < this.p.length && (first || this.p[this.pos] !== ']')) {
      first = false;
      let lo = this.p[this.pos++] as string;
      if (lo === '\\' && this.pos < this.p.length) lo = this.p[this.pos++] as string;
      let hi = lo;
      if (this.p[this.pos] === '-' && this.pos + 1 < this.p.length && this.p[this.pos + 1] !== ']') {
        hi = this.p[this.pos + 1] as string;
        this.pos += 2;
        if (hi === '\\' && this.pos < this.p.length) hi = this.p[this.pos++] as string;
      }
      ranges.push([lo, hi]);
    }
    if (this.p[this.pos] !== ']') {
      this.pos = at;
      return null;
    }
    this.pos++;
    const inSet = (c: string) => ranges.some(([lo, hi]) => c >= lo && c <= hi);
    return { t: 'char', pred: negated ? (c) => c !== '/' && !inSet(c) : inSet };
  }
}

function literal(ch: string): Node {
  return { t: 'char', pred: (c) => c === ch };
}

const isSlash = (n: Node | undefined): boolean => n?.t === 'char' && n.pred('/') && !n.pred('a');

/**
 * `**` as a whole path segment spans segments, including none: `a/**` matches `a` and everything below it,
 * `**` + `/b` matches `b` at any depth, `a/**` + `/b` matches `a/b` and `a/x/y/b`. A `**` inside a segment is a `*`.
 */
function globstars(seq: Node[]): Node[] {
  const out: Node[] = [];
  for (let i = 0; i < seq.length; i++) {
    const n = seq[i] as Node;
    if (n.t !== 'star' || !n.slash) {
      out.push(n);
      continue;
    }
    const before = i === 0 || isSlash(seq[i - 1]);
    const after = i === seq.length - 1 || isSlash(seq[i + 1]);
    if (!before || !after) out.push({ t: 'star', slash: false });
    else if (i === seq.length - 1) {
      if (i > 0 && out[out.length - 1] === seq[i - 1]) out[out.length - 1] = { t: 'opt', seq: [seq[i - 1] as Node, n] };
      else out.push(n);
    } else {
      out.push({ t: 'opt', seq: [n, seq[i + 1] as Node] });
      i++;
    }
  }
  return out;
}

/** Appends the states of `seq` ending in `next` (−1: accept) and returns the entry state. */
function build(seq: readonly Node[], states: State[], next: number): number {
  let entry = next;
  for (let i = seq.length - 1; i >= 0; i--) entry = buildNode(seq[i] as Node, states, entry);
  return entry;
}

function buildNode(n: Node, states: State[], next: number): number {
  if (n.t === 'char') return states.push({ pred: n.pred, outs: [next] }) - 1;
  if (n.t === 'star') {
    // split → (consume → split) | next
    const split = states.push({ pred: null, outs: [] }) - 1;
    const eat = states.push({ pred: n.slash ? ANY : NOT_SLASH, outs: [split] }) - 1;
    (states[split] as State).outs = [eat, next];
    return split;
  }
  if (n.t === 'opt') return states.push({ pred: null, outs: [build(n.seq, states, next), next] }) - 1;
  return states.push({ pred: null, outs: n.branches.map((b) => build(b, states, next)) }) - 1;
}

/** Simulates all states at once: each text character costs at most one visit per state. */
function run(states: readonly State[], start: number, text: string): boolean {
  let current = closure(states, [start]);
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    const next: number[] = [];
    for (const s of current) {
      if (s === -1) continue;
      const st = states[s] as State;
      if (st.pred !== null && st.pred(c)) next.push(...st.outs);
    }
    if (next.length === 0) return false;
    current = closure(states, next);
  }
  return current.includes(-1);
}

/** The consuming states and the accept state (−1) reachable from `from` without consuming. */
function closure(states: readonly State[], from: readonly number[]): number[] {
  const seen = new Set<number>();
  const out: number[] = [];
  const stack = [...from];
  while (stack.length > 0) {
    const s = stack.pop() as number;
    if (seen.has(s)) continue;
    seen.add(s);
    const st = states[s];
    if (st === undefined || st.pred !== null) out.push(s);
    else stack.push(...st.outs);
  }
  return out;
}
