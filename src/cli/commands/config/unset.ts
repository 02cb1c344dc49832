// `slipway config unset <app> KEY… [--no-deploy]`: removes keys in one change (all or none), then follows the rollout.

import type { ConfigChangeRequest, ConfigChangeResponse } from '../../../core/api-config.js';
import { isConfigKey } from '../../../core/app-config.js';
import { SlipwayError } from '../../../core/errors.js';
import { appPath } from '../../client.js';
import { restCommand } from './define-rest.js';
import { reportChange } from './outcome.js';

function keys(words: readonly string[]): string[] {
  for (const w of words) {
    if (!isConfigKey(w)) throw new SlipwayError('invalid_input', `invalid config key ${JSON.stringify(w.slice(0, 64))}`, { field: 'KEY', hint: 'name keys as "slipway config list <app>" shows them' });
  }
  return [...words];
}

export const configUnsetCommand = restCommand({
  path: 'config unset',
  summary: "remove an app's environment variables (a new release rolls out)",
  usage: `usage: slipway config unset <app> KEY… [--no-deploy]

Removes the keys (all of them or, if one is missing, none) and rolls the live image out again
without them, like "config set".

options:
  --no-deploy   store only; the change goes out with the next deploy or "slipway config apply <app>"
`,
  flags: ['no-deploy'],
  words: 'KEY',
  check: ({ words }) => void keys(words),
  async run({ app, words, flags, io }, client) {
    const request: ConfigChangeRequest = { unset: keys(words), deploy: flags['no-deploy'] !== true };
    const res = await client.patch<ConfigChangeResponse>(appPath(app, '/config'), request);
    return reportChange(client, app, res, `unset ${words.join(', ')} for ${app}`, io);
  },
});
