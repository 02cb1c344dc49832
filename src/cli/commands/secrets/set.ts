// `slipway secrets set <app> <NAME> [--value V]`: PUT /api/apps/:app/secrets, the value read from stdin by default.

import { SlipwayError } from '../../../core/errors.js';
import { parseSecretName } from '../../../core/names.js';
import { appPath } from '../../client.js';
import type { CliIO, Command } from '../../command.js';
import { apiCommand } from '../../define.js';
import { readStdinValue, stripOneNewline } from './read-value.js';

/** PUT /api/apps/:app/secrets. */
export interface SetSecretRequest {
  name: string;
  value: string;
}

export interface SecretsSetOptions {
  /** Reads the value when --value is not given; one trailing newline of what it returns is dropped. */
  readonly readValue: (name: string, io: CliIO) => Promise<string>;
}

/** The command with its value reader given, so tests can supply stdin. */
export function secretsSetCommandWith(options: SecretsSetOptions): Command {
  return apiCommand({
    path: 'secrets set',
    summary: 'set an app secret (value from stdin, never shown)',
    usage: `usage: slipway secrets set <app> <NAME> [--value <value>]

Stores a secret for the app's pipelines, encrypted; a step reads it with "from_secret: <NAME>".
Setting an existing name replaces its value. The value is read from stdin, so it stays out of
shell history and process lists:

  slipway secrets set hello NPM_TOKEN < token.txt
  printf %s "$NPM_TOKEN" | slipway secrets set hello NPM_TOKEN

One trailing newline is dropped. On a terminal it is asked for, and what you type is not shown.

options:
  --value <value>   take the value from the command line instead (it is then visible in shell
                    history and to other users' process listings)
`,
    args: [{ name: 'app' }, { name: 'NAME', parse: (name) => parseSecretName(name, 'NAME') }],
    flags: { value: { type: 'string' } },
    // Not echoed like other extra arguments: it is most likely the value, given without --value.
    tooMany: () => new SlipwayError('invalid_input', 'secrets set takes <app> and <NAME> only', { hint: 'pipe the value in on stdin (or give --value <value>)' }),
    async run({ args: { app, NAME: name }, flags, io }, client) {
      const value = flags.value ?? stripOneNewline(await options.readValue(name, io));
      if (value === '') {
        throw new SlipwayError('invalid_input', `the value of ${name} is empty; no secret was set`, {
          field: 'value',
          hint: `pipe the value in, e.g. "slipway secrets set ${app} ${name} < file"`,
        });
      }
      const request: SetSecretRequest = { name, value };
      await client.put(appPath(app, '/secrets'), request);
      io.stdout.write(`set secret ${name} of ${app}; pipeline steps read it with "from_secret: ${name}"\n`);
      return 0;
    },
  });
}

export const secretsSetCommand: Command = secretsSetCommandWith({ readValue: readStdinValue });
