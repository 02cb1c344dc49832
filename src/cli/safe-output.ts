// Everything the CLI prints passes here: control characters from the server, files and names are shown escaped,
// so a name, a log line or a pipeline file cannot move the cursor, rewrite the screen, retitle the terminal or
// write to the clipboard (OSC 52).

import type { CliIO, CliOutput } from './command.js';

/**
 * Kept as they are: "\n", "\t", "\r\n" (line ends of Windows-made output) and complete SGR colour sequences
 * (`ESC [ 1;31 m`: colour only, and `paint` uses them). Every other C0/C1 control, DEL and ESC is written as
 * `\xHH`. Run and app logs are printed this way too: they are the user's own output, but may hold anything.
 */
const UNSAFE = /\u001b\[[0-9;]*m|\r\n|[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
/** An escape sequence or "\r" cut off at the end of a write: held back until the next write completes it. */
const CUT_OFF = /(?:\u001b(?:\[[0-9;]{0,30})?|\r)$/;

export function escapeControls(text: string): string {
  return text.replace(UNSAFE, (match) =>
    match.length > 1 ? match : `\\x${match.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
}

/** An output whose writes are escaped; a sequence split over two writes (a streamed log) is joined first. */
export class SafeOutput implements CliOutput {
  #held = '';
  constructor(private readonly out: CliOutput) {}

  get isTTY(): boolean | undefined {
    return this.out.isTTY;
  }

  write(text: string): unknown {
    const all = this.#held + text;
    const cut = CUT_OFF.exec(all);
    this.#held = cut === null ? '' : cut[0];
    const ready = cut === null ? all : all.slice(0, cut.index);
    return ready === '' ? true : this.out.write(escapeControls(ready));
  }

  /** Writes what was held back, escaped: the output ended inside a sequence. */
  flush(): void {
    if (this.#held === '') return;
    const held = this.#held;
    this.#held = '';
    this.out.write(escapeControls(held));
  }
}

/** The IO with stdout and stderr escaped; `flush` writes what they held back. */
export function safeIO(io: CliIO): CliIO & { flush(): void } {
  const stdout = new SafeOutput(io.stdout);
  const stderr = new SafeOutput(io.stderr);
  return { ...io, stdout, stderr, flush: () => (stdout.flush(), stderr.flush()) };
}
