// `slipway config import <app> <.env file> [--secret] [--no-deploy]`: a dotenv file's keys set in one change.

import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { ConfigChangeRequest, ConfigChangeResponse, ConfigValueInput } from '../../../core/api-config.js';
import { parseConfigKey } from '../../../core/app-config.js';
import { SlipwayError, asSlipwayError } from '../../../core/errors.js';
import { appPath } from '../../client.js';
import { restCommand } from './define-rest.js';
import { parseDotenv } from './dotenv.js';
import { reportChange } from './outcome.js';

const MAX_FILE_BYTES = 1024 * 1024;

export async function readEnvFile(path: string, file: string, secret: boolean): Promise<Record<string, ConfigValueInput>> {
  const size = await stat(path).then((s) => s.size, (err: unknown) => {
    throw new SlipwayError('invalid_input', `cannot read ${file}: ${asSlipwayError(err).message}`, { field: file });
  });
  if (size > MAX_FILE_BYTES) throw new SlipwayError('invalid_input', `${file} is larger than 1 MiB`, { field: file, hint: 'a .env file holds settings, not data' });
  const set: Record<string, ConfigValueInput> = {};
  for (const e of parseDotenv(await readFile(path, 'utf8'), file)) {
    try {
      parseConfigKey(e.key, 'KEY');
    } catch (err) {
      const k = asSlipwayError(err);
      throw new SlipwayError('invalid_input', `${file}:${e.line}: ${k.message}`, { field: file, ...(k.hint ? { hint: k.hint } : {}) });
    }
    set[e.key] = { value: e.value, ...(secret && { secret: true }) };
  }
  if (Object.keys(set).length === 0) throw new SlipwayError('invalid_input', `${file} sets no keys`, { field: file });
  return set;
}

export const configImportCommand = restCommand({
  path: 'config import',
  summary: "set an app's environment variables from a .env file",
  usage: `usage: slipway config import <app> <.env file> [--secret] [--no-deploy]

Sets every KEY=VALUE of a dotenv file in one change (keys not in the file are kept), then rolls
out like "config set". The file may have comments (#), "export ", 'single' and "double" quoted
values (double quotes read \\n \\t \\" \\\\; both may span lines); \${VAR} is not expanded. A bad line
is an error naming its line number, and then nothing is set.

options:
  --secret      every imported value is write-only
  --no-deploy   store only; it goes out with the next deploy or "slipway config apply <app>"
`,
  flags: ['secret', 'no-deploy'],
  words: '<.env file>',
  check: ({ words }) => {
    if (words.length > 1) throw new SlipwayError('invalid_input', `unexpected argument ${JSON.stringify(words[1])}`, { hint: 'import one file at a time' });
  },
  async run({ app, words, flags, io }, client) {
    const file = words[0]!;
    const set = await readEnvFile(resolve(io.cwd, file), file, flags['secret'] === true);
    const request: ConfigChangeRequest = { set, deploy: flags['no-deploy'] !== true };
    const res = await client.patch<ConfigChangeResponse>(appPath(app, '/config'), request);
    return reportChange(client, app, res, `imported ${Object.keys(set).length} key(s) from ${file} for ${app}`, io);
  },
});
