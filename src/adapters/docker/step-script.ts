// The shell script a commands step runs, built the Drone/Woodpecker way: base64 in CI_SCRIPT, run by /bin/sh.
//
// Images of commands steps and services need /bin/sh and base64 (busybox, alpine, debian and the language images
// have both, as Drone and Woodpecker require too). An image without base64 fails with exit code 127 and a line
// saying so, instead of running an empty script and passing.

export const SCRIPT_ENV = 'CI_SCRIPT';

export const SCRIPT_ENTRYPOINT: readonly string[] = ['/bin/sh', '-c'];

/**
 * Woodpecker pipes the decoded script into `/bin/sh -e`, so the first command that reads stdin (`cat`, `read`,
 * `ssh` without -n) swallows the commands after it, which then never run. Passing the script as the argument
 * of `sh -c` keeps stdin empty, as it is for the commands themselves. `exec` makes that shell PID 1.
 */
export const SCRIPT_COMMAND =
  'command -v base64 >/dev/null 2>&1 || { echo "slipway: this image has no base64 command; commands steps need /bin/sh and base64" >&2; exit 127; }; ' +
  `exec /bin/sh -e -c "$(echo $${SCRIPT_ENV} | base64 -d)"`;

/** Each command is echoed with `+ ` before it runs; `set -e` stops at the first command that fails. */
export function generateScript(commands: readonly string[]): string {
  const lines = ['set -e', `unset ${SCRIPT_ENV}`];
  for (const command of commands) {
    // printf, not echo: dash's echo would expand backslash sequences in the command text.
    lines.push(`printf '+ %s\\n' ${shellQuote(command)}`, command);
  }
  return `${lines.join('\n')}\n`;
}

export function encodeScript(commands: readonly string[]): string {
  return Buffer.from(generateScript(commands), 'utf8').toString('base64');
}

/** One single-quoted word: nothing inside is expanded; a ' becomes '\''. */
export function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}
