// Cuts each step's streamed output into whole lines for a combined `[step] line` log: a line ends at a newline, and
// output without newlines (binary, progress bars) is cut every MAX_LINE characters rather than held in memory.

export const MAX_LINE = 16 * 1024;

export class StepLines {
  /** Per pipeline and step: the unfinished last line. */
  readonly #partial = new Map<string, { pipeline: string; step: string; rest: string }>();

  /** The lines `text` completes for this step (without their newline). */
  push(pipeline: string, step: string, text: string): string[] {
    const key = `${pipeline}\u0000${step}`;
    const lines = ((this.#partial.get(key)?.rest ?? '') + text).split('\n');
    let rest = lines.pop() ?? '';
    while (rest.length > MAX_LINE) {
      lines.push(rest.slice(0, MAX_LINE));
      rest = rest.slice(MAX_LINE);
    }
    this.#partial.set(key, { pipeline, step, rest });
    return lines;
  }

  /** The step's unfinished line, now complete (the step ended), or '' when there is none. */
  end(pipeline: string, step: string): string {
    const key = `${pipeline}\u0000${step}`;
    const rest = this.#partial.get(key)?.rest ?? '';
    this.#partial.delete(key);
    return rest;
  }

  /** Steps with an unfinished line. */
  open(): Array<{ pipeline: string; step: string }> {
    return [...this.#partial.values()].filter((p) => p.rest !== '').map(({ pipeline, step }) => ({ pipeline, step }));
  }
}
