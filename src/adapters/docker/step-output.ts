// Turns a container's attach stream (8-byte frame headers, stdout/stderr) into text as it arrives, in order.
//
// Not log-stream.ts's splitFrames: it decodes each frame on its own, and dockerd cuts frames every 32 KB
// regardless of characters, so a multi-byte character on a cut became two U+FFFD. Here each stream keeps a
// StringDecoder across frames, and a frame's payload is decoded as its bytes arrive, so nothing waits for a
// newline or a whole frame: 100 MB of output without a single newline streams in constant memory. Bytes that
// are not UTF-8 (binary output) become U+FFFD; they never throw.

import { StringDecoder } from 'node:string_decoder';

const HEADER_BYTES = 8;

export class FrameDecoder {
  readonly #decoders = new Map<number, StringDecoder>();
  #header = Buffer.alloc(0);
  /** Payload bytes of the current frame still to come, and which stream it belongs to. */
  #remaining = 0;
  #stream = 1;
  /** Set when the stream turned out not to be multiplexed (a TTY container): everything is stdout text. */
  #raw = false;

  push(chunk: Buffer): string {
    let text = '';
    let offset = 0;
    while (offset < chunk.length) {
      if (this.#raw) return text + this.#decoder(1).write(chunk.subarray(offset));
      if (this.#remaining > 0) {
        const take = Math.min(this.#remaining, chunk.length - offset);
        text += this.#decoder(this.#stream).write(chunk.subarray(offset, offset + take));
        this.#remaining -= take;
        offset += take;
        continue;
      }
      const need = HEADER_BYTES - this.#header.length;
      const part = chunk.subarray(offset, offset + need);
      this.#header = this.#header.length === 0 ? Buffer.from(part) : Buffer.concat([this.#header, part]);
      offset += part.length;
      if (this.#header.length < HEADER_BYTES) break;
      const header = this.#header;
      this.#header = Buffer.alloc(0);
      if (!isHeader(header)) {
        this.#raw = true;
        text += this.#decoder(1).write(header);
        continue;
      }
      this.#stream = header[0] === 2 ? 2 : 1;
      this.#remaining = header.readUInt32BE(4);
    }
    return text;
  }

  /** The characters still held back (a cut multi-byte sequence or a partial header), as text. */
  end(): string {
    let text = this.#header.length > 0 ? this.#decoder(1).write(this.#header) : '';
    this.#header = Buffer.alloc(0);
    for (const decoder of this.#decoders.values()) text += decoder.end();
    return text;
  }

  #decoder(stream: number): StringDecoder {
    let decoder = this.#decoders.get(stream);
    if (decoder === undefined) {
      decoder = new StringDecoder('utf8');
      this.#decoders.set(stream, decoder);
    }
    return decoder;
  }
}

function isHeader(buf: Buffer): boolean {
  const type = buf[0];
  return (type === 0 || type === 1 || type === 2) && buf[1] === 0 && buf[2] === 0 && buf[3] === 0;
}
