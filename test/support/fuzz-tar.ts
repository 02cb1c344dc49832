// Builds tar archives byte by byte for the upload fuzzer, including the ones `tar` the program would never write:
// `..` and absolute paths, links out of the tree, duplicate entries, lying sizes, truncation and gzip bombs.

import { gzipSync } from 'node:zlib';
import { Header } from 'tar';
import type { Rng } from './fuzz.js';

export interface TarEntry {
  readonly path: string;
  readonly type?: 'File' | 'Directory' | 'SymbolicLink' | 'Link' | 'CharacterDevice' | 'FIFO';
  readonly body?: Buffer;
  readonly linkpath?: string;
  /** The size the header claims (default: the body's). */
  readonly size?: number;
}

export function tarOf(entries: readonly TarEntry[], end = true): Buffer {
  const blocks: Buffer[] = [];
  for (const e of entries) {
    const body = e.body ?? Buffer.alloc(0);
    const type = e.type ?? 'File';
    const header = new Header({ path: e.path, mode: 0o644, size: e.size ?? (type === 'File' ? body.length : 0), mtime: new Date(0), type, linkpath: e.linkpath ?? '' });
    header.encode();
    blocks.push(header.block!);
    if (type === 'File') blocks.push(body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  if (end) blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

const PATHS = [
  'Dockerfile', './Dockerfile', '.slipway.yml', '.drone.yml', '.woodpecker.yml', '.woodpecker/test.yml', '.slipway/a.yml', 'compose.yaml',
  'docker-compose.yml', 'src/index.js', '../Dockerfile', '../../etc/passwd', '/etc/passwd', '/Dockerfile', './../.slipway.yml', '.slipway/../../x',
  'a/../../b', '.slipway.yml/', 'Dockerfile\u0000x', 'ＤＯＣＫＥＲＦＩＬＥ', `${'d/'.repeat(60)}f`, '.', '', '\\..\\x', 'C:\\x', '.git/config',
];

const PIPELINE = 'steps:\n  - name: test\n    image: alpine\n    commands: [echo hi]\n';
const COMPOSE = 'services:\n  web:\n    image: ${SLIPWAY_IMAGE}\n';

/** One hostile upload: a valid-looking tar with random entries, then maybe cut, bombed, mangled or gzipped. */
export function randomUpload(rng: Rng): { bytes: Buffer; kind: string } {
  const entries: TarEntry[] = [];
  if (rng.chance(0.7)) entries.push({ path: 'Dockerfile', body: Buffer.from('FROM alpine\n') });
  const n = rng.int(8);
  for (let i = 0; i < n; i++) {
    const path = rng.chance(0.8) ? rng.pick(PATHS) : rng.text(30);
    const type = rng.pick(['File', 'File', 'File', 'Directory', 'SymbolicLink', 'Link', 'CharacterDevice', 'FIFO'] as const);
    const body = Buffer.from(rng.pick([PIPELINE, COMPOSE, rng.text(200), '']));
    entries.push({ path, type, body, linkpath: rng.pick(['/etc/passwd', '../../../etc/shadow', 'Dockerfile', '/', '.slipway.yml', '/proc/self/environ']), ...(rng.chance(0.05) ? { size: rng.pick([0, 1, 1e9, 8 ** 11 - 1]) } : {}) });
  }
  // Duplicates: the same path again, possibly as another type.
  if (rng.chance(0.3) && entries.length > 0) {
    const again = rng.pick(entries);
    for (let i = rng.int(50); i >= 0; i--) entries.push({ ...again, type: rng.pick(['File', 'SymbolicLink', 'Directory'] as const) });
  }
  let kind = 'tar';
  let bytes = tarOf(entries, rng.chance(0.9));
  switch (rng.int(12)) {
    case 0: bytes = bytes.subarray(0, rng.int(bytes.length + 1)); kind = 'truncated'; break;
    case 1: { // flip bytes
      bytes = Buffer.from(bytes);
      for (let i = rng.int(20); i >= 0; i--) if (bytes.length > 0) bytes[rng.int(bytes.length)] = rng.int(256);
      kind = 'mangled';
      break;
    }
    case 2: bytes = Buffer.from(rng.bytes(2000)); kind = 'random bytes'; break;
    case 3: { // gzip bomb: a few KiB that unpack past the limit
      bytes = tarOf([{ path: 'Dockerfile', body: Buffer.from('FROM alpine\n') }, { path: 'zeros', body: Buffer.alloc(5 * 1024 * 1024) }]);
      kind = 'gzip bomb';
      break;
    }
    case 4: { // entry bomb: thousands of empty files
      bytes = tarOf(Array.from({ length: 2_500 }, (_, i) => ({ path: `f${i}` })));
      kind = 'entry bomb';
      break;
    }
    case 5: bytes = Buffer.concat([bytes, rng.bytes(700)]); kind = 'trailing garbage'; break;
    default: break;
  }
  if (rng.chance(0.7)) {
    const gz = gzipSync(bytes, { level: 1 });
    bytes = rng.chance(0.1) ? gz.subarray(0, rng.int(gz.length + 1)) : gz;
    kind += ' (gzip)';
  }
  return { bytes, kind };
}
