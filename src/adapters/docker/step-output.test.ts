// Unit tests of the attach-stream decoder: frames cut anywhere, characters cut anywhere, binary bytes.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FrameDecoder } from './step-output.js';

const frame = (stream: 1 | 2, payload: Buffer | string) => {
  const body = Buffer.isBuffer(payload) ? payload : Buffer.from(payload, 'utf8');
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(body.length, 4);
  return Buffer.concat([header, body]);
};
const decodeAll = (chunks: Buffer[]) => {
  const d = new FrameDecoder();
  return chunks.map((c) => d.push(c)).join('') + d.end();
};
const bytewise = (buf: Buffer) => [...buf].map((b) => Buffer.from([b]));

describe('FrameDecoder', () => {
  it('gives stdout and stderr text in the order of the frames', () => {
    assert.equal(decodeAll([Buffer.concat([frame(1, 'out 1\n'), frame(2, 'err\n'), frame(1, 'out 2\n')])]), 'out 1\nerr\nout 2\n');
  });

  it('decodes the same whatever the chunk boundaries, one byte at a time included', () => {
    const all = Buffer.concat([frame(1, 'héllo '), frame(2, 'wörld\n'), frame(1, '✓ done\n')]);
    assert.equal(decodeAll(bytewise(all)), 'héllo wörld\n✓ done\n');
  });

  it('keeps a multi-byte character that dockerd cut between two frames', () => {
    const text = Buffer.from('ab€cd', 'utf8'); // € is 3 bytes: cut after its first byte
    assert.equal(decodeAll([frame(1, text.subarray(0, 3)), frame(1, text.subarray(3))]), 'ab€cd');
  });

  it('forwards each payload as it arrives, without waiting for a newline or the whole frame', () => {
    const d = new FrameDecoder();
    const big = frame(1, 'x'.repeat(100_000));
    assert.equal(d.push(big.subarray(0, 50_008)), 'x'.repeat(50_000));
    assert.equal(d.push(big.subarray(50_008)), 'x'.repeat(50_000));
  });

  it('turns bytes that are not UTF-8 into U+FFFD and never throws', () => {
    const out = decodeAll([frame(1, Buffer.from([0xff, 0xfe, 0x00, 0x41, 0xc3]))]);
    assert.equal(out, '\u{fffd}\u{fffd}\u0000A\u{fffd}');
  });

  it('passes a stream without frame headers (a TTY container) through as text', () => {
    assert.equal(decodeAll([Buffer.from('plain output\nmore\n')]), 'plain output\nmore\n');
  });
});
