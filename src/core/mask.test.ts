// LogMasker: every encoded form, multi-line values, overlaps, seeded random chunkings against a one-shot reference,
// what is held back between writes (only a tail that may start a secret), and a linear-time check on a 20 MB stream.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { LogMasker, MASK, maskSecrets, maskedForms } from './mask.js';

/** Deterministic PRNG (mulberry32), so a failing random case can be replayed from its seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Cuts text into pieces of random lengths (0 to max), empty pieces included. */
function randomChunks(text: string, rnd: () => number, max: number): string[] {
  const chunks: string[] = [];
  for (let i = 0; i < text.length; ) {
    const n = Math.floor(rnd() * (max + 1));
    chunks.push(text.slice(i, i + n));
    i += n;
  }
  return chunks;
}

function streamed(chunks: readonly string[], secrets: readonly string[]): string {
  const masker = new LogMasker(secrets);
  return chunks.map((c) => masker.write(c)).join('') + masker.flush();
}

/** The definition, written as plainly as possible: every occurrence of every form, overlapping ones merged. */
function reference(text: string, secrets: readonly string[]): string {
  const intervals: [number, number][] = [];
  for (const form of new Set(secrets.flatMap(maskedForms))) {
    for (let i = 0; i + form.length <= text.length; i++) if (text.startsWith(form, i)) intervals.push([i, i + form.length]);
  }
  intervals.sort((a, b) => a[0] - b[0]);
  let out = '';
  let done = 0;
  for (const [start, end] of intervals) {
    if (start < done) done = Math.max(done, end);
    else {
      out += text.slice(done, start) + MASK;
      done = end;
    }
  }
  return out + text.slice(done);
}

/** The fastest of several interleaved runs of each function, in ms: interleaving and taking the minimum keep
 *  GC pauses and other work on a busy machine from landing on one side of a comparison only. */
function fastest(runs: number, fns: readonly (() => void)[]): number[] {
  const min = fns.map(() => Infinity);
  for (let r = 0; r < runs; r++) {
    fns.forEach((fn, i) => {
      const t = performance.now();
      fn();
      min[i] = Math.min(min[i] ?? Infinity, performance.now() - t);
    });
  }
  return min;
}

const b64 = (s: string) => Buffer.from(s).toString('base64');
const b64url = (s: string) => Buffer.from(s).toString('base64url');

describe('LogMasker', () => {
  it('masks every occurrence of every secret, and passes text through when there are none', () => {
    assert.equal(maskSecrets('token=s3cr3t-A and s3cr3t-A, pw=hunter22.', ['s3cr3t-A', 'hunter22']), 'token=*** and ***, pw=***.');
    assert.equal(maskSecrets('nothing here', ['s3cr3t-A']), 'nothing here');
    const none = new LogMasker([]);
    assert.equal(none.write('as is'), 'as is');
    assert.equal(none.flush(), '');
  });

  it('masks values of any length but ignores blank ones', () => {
    assert.equal(maskSecrets('a 1 b 12 c', ['1']), 'a *** b ***2 c');
    assert.equal(maskSecrets('pin 987, again 987', ['987']), 'pin ***, again ***');
    assert.equal(maskSecrets('a  b\tc\n', ['  ', '\t', '\n', '']), 'a  b\tc\n');
  });

  it('masks a value with and without its surrounding whitespace', () => {
    const fromFile = 'tok-1234\n';
    assert.equal(maskSecrets('echo tok-1234; echo "tok-1234\n" | wc', [fromFile]), 'echo ***; echo "***" | wc');
    assert.equal(maskSecrets(`[${b64('tok-1234')}] [${b64(fromFile)}]`, [fromFile]), '[***] [***]');
  });

  it('masks URL-encoded and JSON-escaped forms', () => {
    const secret = 'p@ss w/rd+&=?"<é>\\\n';
    const forms = {
      url: encodeURIComponent(secret),
      form: new URLSearchParams({ pw: secret }).toString().slice('pw='.length),
      json: JSON.stringify(secret).slice(1, -1),
      python: 'p@ss w/rd+&=?\\"<\\u00e9>\\\\\\n',
      php: 'p@ss w\\/rd+&=?\\"<\\u00e9>\\\\\\n',
      go: 'p@ss w/rd+\\u0026=?\\"\\u003cé\\u003e\\\\\\n',
    };
    for (const [how, form] of Object.entries(forms)) {
      assert.equal(maskSecrets(`curl "https://x/?pw=${form}&n=1"`, [secret]), 'curl "https://x/?pw=***&n=1"', how);
    }
  });

  it('masks hex, lower and upper case, whole and wrapped at 60 columns as xxd -p prints it', () => {
    const secret = 'hunter2-is-the-password-of-the-day-and-it-is-long';
    const hex = Buffer.from(secret).toString('hex');
    for (const printed of [hex, hex.toUpperCase(), hex.replace(/.{60}(?=.)/g, '$&\n'), `prefix ${hex} suffix`]) {
      const masked = maskSecrets(printed, [secret]);
      assert.ok(!masked.includes(hex.slice(0, 20)) && !masked.toUpperCase().includes(hex.slice(0, 20).toUpperCase()), masked);
    }
  });

  it('masks backslash-escaped forms: printf %q (real bash) and quotemeta', () => {
    const secret = "pa$$ w'rd\\x(1)";
    const quoted = execFileSync('bash', ['-c', 'printf %q "$1"', '_', secret], { encoding: 'utf8' });
    assert.notEqual(quoted, secret);
    assert.equal(maskSecrets(`token=${quoted};`, [secret]), `token=${MASK};`);
    const meta = secret.replace(/[^A-Za-z0-9_]/g, '\\$&');
    assert.equal(maskSecrets(`re: ${meta}`, [secret]), `re: ${MASK}`);
  });

  it('masks the whole base64 of a value, standard and URL-safe, padded or not, wrapped at 76 columns', () => {
    const secret = 'ghp_0123456789abcdefghijklmnopqrstuv?>~';
    for (const form of [b64(secret), b64(secret).replace(/=+$/, ''), b64url(secret)]) {
      assert.equal(maskSecrets(`Authorization: Basic ${form}\n`, [secret]), 'Authorization: Basic ***\n', form);
    }
    const long = 'k'.repeat(100);
    const wrapped = b64(long).replace(/.{76}(?=.)/g, '$&\n'); // what `base64` prints
    assert.equal(maskSecrets(`$ base64 key\n${wrapped}\n$ `, [long]), '$ base64 key\n***\n$ ');
  });

  it('masks a value inside a longer base64 text at each of the three alignments', () => {
    const secret = 'S3cr3t-v4lue!';
    const rnd = random(7);
    for (let prefix = 0; prefix < 9; prefix++) {
      for (const suffix of [0, 1, 2, 5]) {
        const bytes = (n: number) => String.fromCharCode(...Array.from({ length: n }, () => 32 + Math.floor(rnd() * 95)));
        const plain = `${bytes(prefix)}${secret}${bytes(suffix)}`;
        for (const encoded of [b64(plain), b64url(plain)]) {
          const masked = maskSecrets(`data: ${encoded}\n`, [secret]);
          assert.ok(masked.includes(MASK), `${prefix}/${suffix} ${encoded}`);
          // At most 2 characters either side of the mask depend on the value (partly), the rest is the context's.
          const [before = '', after = ''] = masked.slice('data: '.length, -1).split(MASK);
          assert.ok(before.length >= Math.floor((prefix * 8) / 6) && before.length <= Math.ceil((prefix * 8) / 6));
          assert.ok(after.length <= Math.ceil(((suffix + 2) * 8) / 6) + 2, `${masked} ${suffix}`);
        }
      }
    }
  });

  it('does not mask base64 fragments or lines too short to be told from ordinary text', () => {
    assert.deepEqual(maskedForms('ab').filter((f) => f.length < 2), []);
    assert.ok(maskedForms('ab').every((f) => f === 'ab' || f.length >= 4));
    assert.equal(maskSecrets('say yes\nand no\n', ['yes\nno']), 'say yes\nand no\n'); // lines of 2-3 characters
  });

  it('masks each line of a multi-line value, however it is indented or ended', () => {
    const key = '-----BEGIN KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nBKcwggSjAgEAAoIBAQC7x9\n-----END KEY-----\n';
    const printed = key.split('\n').map((l) => `    ${l}`).join('\r\n'); // indented by YAML, CRLF by a terminal
    assert.equal(maskSecrets(printed, [key]), ['***', '***', '***', '***', ''].map((l) => `    ${l}`).join('\r\n'));
    assert.equal(maskSecrets(`k=${key}`, [key]), 'k=***');
  });

  it('masks overlapping occurrences as one run, and adjacent ones as two', () => {
    assert.equal(maskSecrets('xxabcdefyy', ['abcd', 'cdef']), 'xx***yy');
    assert.equal(maskSecrets('xxabcdefyy', ['bc', 'abcdef']), 'xx***yy');
    assert.equal(maskSecrets('aaaaaaa!', ['aaaa']), '***!');
    assert.equal(maskSecrets('abcdabcd', ['abcd']), '******');
  });

  it('holds back a tail that may start a secret, and masks a secret split across chunks', () => {
    const masker = new LogMasker(['secret-value']);
    assert.equal(masker.write('hello secr'), 'hello ');
    assert.equal(masker.write('et-value and more'), '*** and more');
    assert.equal(masker.write('!') + masker.flush(), '!');
    assert.equal(masker.write('again secret-value') + masker.flush(), 'again ***', 'the masker goes on after a flush');
    const text = 'before secret-value after';
    for (let cut = 0; cut <= text.length; cut++) {
      for (let cut2 = cut; cut2 <= text.length; cut2 += 3) {
        assert.equal(streamed([text.slice(0, cut), text.slice(cut, cut2), text.slice(cut2)], ['secret-value']), 'before *** after');
      }
    }
  });

  it('gives the same output however the stream is cut (seeded random chunkings of every form)', () => {
    const secrets = ['s3cr3t-Token_x', 'p@ss w/rd+&=?é', 'line one!\nline two?\r\nthird', 'ab', 'Zz9'];
    const rnd = random(42);
    const forms = secrets.flatMap(maskedForms);
    const pieces = [...forms, 'ordinary text ', '\n', 'abab', 'aab', 'Zz', '9Zz9', ...secrets.map((s) => s.slice(0, -1))];
    for (let round = 0; round < 60; round++) {
      const parts = Array.from({ length: 80 }, () => pieces[Math.floor(rnd() * pieces.length)] ?? '');
      const inBase64 = b64(parts.slice(0, 10).join(''));
      const text = parts.join('') + inBase64;
      const expected = reference(text, secrets);
      assert.equal(maskSecrets(text, secrets), expected, `round ${round}: one shot`);
      for (const max of [1, 3, 17, 200]) {
        assert.equal(streamed(randomChunks(text, rnd, max), secrets), expected, `round ${round}, chunks ≤ ${max}`);
      }
      for (const secret of secrets.filter((s) => s.length >= 4)) assert.ok(!expected.includes(secret), `round ${round}: ${secret}`);
    }
  });

  it('agrees with the reference on dense overlaps over a small alphabet', () => {
    const rnd = random(1234);
    const word = (n: number) => Array.from({ length: n }, () => 'ab'[Math.floor(rnd() * 2)]).join('');
    for (let round = 0; round < 300; round++) {
      const secrets = Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => word(2 + Math.floor(rnd() * 6)));
      const text = word(Math.floor(rnd() * 120));
      const expected = reference(text, secrets);
      assert.equal(streamed(randomChunks(text, rnd, 1 + Math.floor(rnd() * 10)), secrets), expected, JSON.stringify({ secrets, text }));
    }
  });

  it('takes time linear in the stream: 20 MB in chunks', () => {
    const secrets = ['ghp_s3cr3tT0kenValue0123456789', 'p@ss w/rd+&=?', 'line one of a key\nline two of a key'];
    const line = 'npm info lifecycle app@1.0.0~build: app@1.0.0 ordinary output 0123456789 abcdefghij\n';
    const make = (mb: number) => {
      const lines = Array.from({ length: Math.ceil((mb * 1e6) / line.length) }, (_, i) =>
        i % 1000 === 0 ? `token ${secrets[i % 3]} and ${b64(`x${secrets[0]}`)}\n` : line);
      return randomChunks(lines.join(''), random(mb), 64 * 1024);
    };
    const small = make(2);
    const big = make(20);
    let out = '';
    // Concatenation alone builds a rope in no time; reading the last character makes V8 copy it into one string.
    const concat = () => {
      let s = '';
      for (const c of big) s += c;
      s.charCodeAt(s.length - 1);
    };
    const [baseline = 0, t2 = 0, t20 = 0] = fastest(5, [concat, () => void streamed(small, secrets), () => {
      out = streamed(big, secrets);
    }]);
    assert.ok(!out.includes(secrets[0] ?? '?'));
    console.log(`# masker: 20 MB in ${t20.toFixed(0)} ms, 2 MB in ${t2.toFixed(0)} ms (×${(t20 / t2).toFixed(1)} for ×10 data); ` +
      `string concatenation of the 20 MB: ${baseline.toFixed(1)} ms (masker/concat ×${(t20 / Math.max(baseline, 0.01)).toFixed(0)})`);
    // Linear would be ×10, quadratic ×100; the margin absorbs GC and a busy machine.
    assert.ok(t20 / t2 < 40, `20 MB took ${(t20 / t2).toFixed(1)}× the time of 2 MB`);
    // Generous: about 10× here; a quadratic masker is thousands of times slower than copying 20 MB.
    assert.ok(t20 / Math.max(baseline, 1) < 200, `the masker took ${(t20 / baseline).toFixed(0)}× the time of concatenation`);
  });

  it('stays linear with tiny chunks and a long secret (the held-back tail is rescanned per write)', () => {
    const key = Array.from({ length: 30 }, (_, i) => `MIIEvQIBADANBgkqhkiG9w0BAQEFAASC${i}`).join('\n');
    const make = (n: number) => randomChunks(`${'log line of some output\n'.repeat(n)}${key}\n`, random(n), 16);
    const small = make(3_000);
    const big = make(30_000);
    let out = '';
    const [tSmall = 0, tBig = 0] = fastest(3, [() => void streamed(small, [key]), () => {
      out = streamed(big, [key]);
    }]);
    assert.ok(out.endsWith(`${MASK}\n`));
    console.log(`# masker, 16-char chunks, ${key.length}-char secret: ${tBig.toFixed(0)} ms, ×${(tBig / tSmall).toFixed(1)} for ×10 data`);
    assert.ok(tBig / tSmall < 40);
  });

  it('never lets out part of a secret printed in two writes with a pause between them (no flush)', () => {
    const secrets = ['s3cr3t-Token_x', 'line one!\nline two?', 'p@ss w/rd+&=?é'];
    for (const form of secrets.flatMap(maskedForms)) {
      for (let cut = 1; cut < form.length; cut++) {
        const masker = new LogMasker(secrets);
        // What a log shows while the step is paused after printing the first part: the text before it only.
        const first = masker.write(`[out] ${form.slice(0, cut)}`);
        assert.equal(first, '[out] ', `${JSON.stringify(form)} cut at ${cut}`);
        const rest = masker.write(`${form.slice(cut)} done\n`) + masker.flush();
        assert.equal(first + rest, maskSecrets(`[out] ${form} done\n`, secrets));
        assert.ok(!(first + rest).includes(form), `${JSON.stringify(form)} cut at ${cut}`);
      }
    }
  });

  it('lets out at once text that cannot start a secret, and a held tail as soon as it no longer can', () => {
    const masker = new LogMasker(['s3cr3t-Token_x']);
    assert.equal(masker.write('compiling 12 files\n'), 'compiling 12 files\n');
    assert.equal(masker.write('progress 50%'), 'progress 50%');
    assert.equal(masker.write('\rtoken s3cr'), '\rtoken ');
    assert.equal(masker.write('ap\n'), 's3crap\n', 'released once it stops being the start of the secret');
    assert.equal(masker.write('s3cr3t-Token_x'), '***');
    assert.equal(masker.flush(), '');
  });

  // What makes the cost linear, shown without a clock: each write rescans at most the held-back tail, which is
  // exactly the end of the text that may still grow into an occurrence, never more than the longest form − 1.
  it('holds back exactly the longest end of the text that starts a form, and nothing else', () => {
    const rnd = random(99);
    const word = (n: number) => Array.from({ length: n }, () => 'abc'[Math.floor(rnd() * 3)]).join('');
    for (let round = 0; round < 300; round++) {
      const secrets = Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => word(2 + Math.floor(rnd() * 8)));
      const forms = [...new Set(secrets.flatMap(maskedForms))];
      const text = word(Math.floor(rnd() * 200));
      const masker = new LogMasker(secrets);
      let taken = '';
      let given = '';
      for (const chunk of randomChunks(text, rnd, 12)) {
        taken += chunk;
        given += masker.write(chunk);
        // The longest end of what was written that is a proper prefix of some form (so shorter than the longest
        // form): what may be held back.
        let held = 0;
        for (let n = taken.length; n > 0 && held === 0; n--) {
          if (forms.some((f) => f.length > n && f.startsWith(taken.slice(-n)))) held = n;
        }
        const cut = taken.length - held;
        // Unless an occurrence already written runs on into that end, the output is exactly the text before it.
        const straddles = forms.some((f) => {
          for (let i = taken.indexOf(f); i !== -1; i = taken.indexOf(f, i + 1)) if (i < cut && i + f.length > cut) return true;
          return false;
        });
        if (!straddles) assert.equal(given, reference(taken.slice(0, cut), secrets), JSON.stringify({ secrets, taken }));
      }
      assert.equal(given + masker.flush(), reference(text, secrets), JSON.stringify({ secrets, text }));
    }
  });
});
