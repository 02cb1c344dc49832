// Turns Docker's multiplexed log stream (8-byte frame headers, stdout/stderr) into text lines.

import type { Readable } from 'node:stream';

export async function* demuxLogLines(stream: Readable): AsyncIterable<string> {
  let pending: Buffer = Buffer.alloc(0);
  let text = '';
  for await (const chunk of stream) {
    pending = Buffer.concat([pending, chunk as Buffer]);
    const { frames, rest } = splitFrames(pending);
    pending = rest;
    text += frames;
    const lines = text.split('\n');
    text = lines.pop() ?? '';
    for (const line of lines) yield `${line}\n`;
  }
  text += pending.toString('utf8');
  if (text) yield text;
}

/** A frame is [stream type, 0, 0, 0, size (uint32 BE)] + payload; raw (TTY) output has no frames. */
export function splitFrames(buf: Buffer): { frames: string; rest: Buffer } {
  let offset = 0;
  let frames = '';
  while (buf.length - offset >= 8) {
    const type = buf[offset];
    const framed = (type === 0 || type === 1 || type === 2) && buf[offset + 1] === 0 && buf[offset + 2] === 0 && buf[offset + 3] === 0;
    if (!framed) {
      // Not multiplexed: pass everything through as text.
      return { frames: frames + buf.subarray(offset).toString('utf8'), rest: Buffer.alloc(0) };
    }
    const size = buf.readUInt32BE(offset + 4);
    if (buf.length - offset - 8 < size) break;
    frames += buf.subarray(offset + 8, offset + 8 + size).toString('utf8');
    offset += 8 + size;
  }
  return { frames, rest: buf.subarray(offset) };
}
