// `slipway lint [file] [--app A]`: checks a pipeline file offline, printing every finding as `file:line:col: …`.

import { SlipwayError } from '../../core/errors.js';
import { lintFile, lintSource, type LintOptions } from '../../pipeline/index.js';
import { appPath, connect } from '../client.js';
import type { CliIO } from '../command.js';
import { localCommand } from '../define.js';
import type { SecretsResponse } from './secrets/list.js';
import { countFindings, printFindings } from '../local/findings.js';
import { describeSource, discoverLocal, readGivenFile, sourceOf } from '../local/pipeline-files.js';

/** Local: it asks the server only for --app's secret names. */
export const lintCommand = localCommand({
  path: 'lint',
  summary: 'check a pipeline file for errors, offline',
  usage: `usage: slipway lint [file] [--app <name>]

Checks a pipeline file without running it and without a server: YAML, keys, types, step and
pipeline dependencies, and the features Slipway does not support. Each finding is printed as
"file:line:col: error|warning: message", with a hint on the next line when there is one.

Without [file], lints the pipeline a push of the current directory would run: .slipway.yml,
else .slipway/*.yml, else .woodpecker.yml, else .woodpecker/*.yml, else .drone.yml.
A file's dialect (Slipway, Woodpecker or Drone) comes from its name, else from its content.

Exits 0 ("ok") when there is no error (warnings are allowed), 2 when there is one.

options:
  --app <name>   also check that every from_secret names a secret of the app (asks the server)
`,
  args: [{ name: 'file', optional: true }],
  flags: { app: { type: 'string' } },
  async run({ args: { file }, flags: values, io }) {
    const given = file === undefined ? null : await readGivenFile(io.cwd, file);
    const source = given === null ? await discoverLocal(io.cwd) : sourceOf(given);
    if (source === null) {
      throw new SlipwayError('invalid_input', `no pipeline file in ${io.cwd}`, {
        hint: 'add .slipway.yml (or .woodpecker.yml, .woodpecker/*.yml, .drone.yml), or name the file: slipway lint <file>',
      });
    }
    const options: LintOptions = { knownSecrets: values.app === undefined ? null : await secretNames(io, values.app) };
    io.stdout.write(`linting ${describeSource(source)}${values.app === undefined ? '' : ` against the secrets of ${values.app}`}\n`);
    // A named file inside .woodpecker/ or .slipway/ may depend on workflows in its siblings: lintFile allows that.
    const findings = given === null ? lintSource(source, options) : lintFile(given.file, options, given.dialect);
    printFindings(io, findings);
    const errors = findings.filter((f) => f.severity === 'error').length;
    if (errors > 0) {
      throw new SlipwayError('invalid_input', `${countFindings(findings)} in ${source.files.map((f) => f.path).join(', ')}`);
    }
    io.stdout.write(findings.length === 0 ? 'ok\n' : `ok (${countFindings(findings)})\n`);
    return 0;
  },
});

/** The names of the app's secrets (GET /api/apps/:app/secrets; values never leave the server). */
async function secretNames(io: CliIO, app: string): Promise<string[]> {
  if (app === '') throw new SlipwayError('invalid_input', 'missing --app', { field: 'app', hint: 'run "slipway lint --help"' });
  const client = await connect(io);
  const { secrets } = await client.get<SecretsResponse>(appPath(app, '/secrets'));
  return secrets.map((s) => s.name);
}
