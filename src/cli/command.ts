// The shape of one `slipway` command and the I/O it is given, so tests can run commands without process globals.

/** Where a command writes; process.stdout and process.stderr fit, and so does a test capture. */
export interface CliOutput {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

export interface CliIO {
  readonly stdout: CliOutput;
  readonly stderr: CliOutput;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Directory relative paths (e.g. `slipway deploy ./site`) are resolved against. */
  readonly cwd: string;
}

/**
 * One command as the dispatcher sees it. Commands are declared with apiCommand/localCommand (define.ts), which
 * build `run` from their arguments, flags and one run function; groups with commandGroup (dispatch.ts).
 * `name` is the word typed after `slipway` (or after its group, e.g. `apps create`),
 * `summary` one line for the command list, `usage` the full text `--help` prints.
 * `run` gets the arguments after the name (never containing --help: the dispatcher answers that)
 * and resolves to the process exit code. Failures are thrown as SlipwayError; main prints them.
 */
export interface Command {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  /** Set on groups such as `apps`: the dispatcher hands the rest of argv to one of these. */
  readonly subcommands?: readonly Command[];
  run(args: string[], io: CliIO): Promise<number>;
}
