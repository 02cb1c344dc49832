// `slipway config set <app> KEY=VALUE… [--secret] [--no-deploy]`: PATCH /api/apps/:app/config, then follow the rollout.

import type { ConfigChangeRequest, ConfigChangeResponse, ConfigValueInput } from '../../../core/api-config.js';
import { parseConfigKey } from '../../../core/app-config.js';
import { SlipwayError } from '../../../core/errors.js';
import { appPath } from '../../client.js';
import { restCommand } from './define-rest.js';
import { reportChange } from './outcome.js';

/** KEY=VALUE words into the request's `set`; the value is everything after the first `=`. */
export function parseAssignments(words: readonly string[], secret: boolean): Record<string, ConfigValueInput> {
  const set: Record<string, ConfigValueInput> = {};
  for (const word of words) {
    const eq = word.indexOf('=');
    if (eq <= 0) {
      // Only the key part is echoed: a mistyped word may well be a value.
      throw new SlipwayError('invalid_input', `expected KEY=VALUE, got ${eq === 0 ? 'a word starting with "="' : `${JSON.stringify(word.slice(0, 64))} without "="`}`, {
        hint: 'write each setting as KEY=VALUE (quote it for your shell: KEY="a value")',
      });
    }
    const key = parseConfigKey(word.slice(0, eq), 'KEY');
    set[key] = { value: word.slice(eq + 1), ...(secret && { secret: true }) };
  }
  return set;
}

export const configSetCommand = restCommand({
  path: 'config set',
  summary: "set an app's environment variables (a new release rolls out)",
  usage: `usage: slipway config set <app> KEY=VALUE… [--secret] [--no-deploy]

Sets environment variables of the app's service, stored encrypted. The change becomes a new
release of the live image with the new config, rolled out health-gated like a deploy, and this
command follows it. If it fails, the previous release keeps serving with its previous config;
the change stays stored and goes out with the next deploy.

  slipway config set hello DATABASE_URL=postgres://db/hello LOG_LEVEL=debug
  slipway config set hello STRIPE_KEY=sk_live_… --secret

options:
  --secret      the values are write-only: "config list" and the dashboard never show them
                (updating a secret key keeps it secret even without --secret)
  --no-deploy   store only; several changes then go out together with the next deploy or
                "slipway config apply <app>"

PORT and names starting with SLIPWAY_ are Slipway's own and refused.
`,
  flags: ['secret', 'no-deploy'],
  words: 'KEY=VALUE',
  check: ({ words, flags }) => void parseAssignments(words, flags['secret'] === true),
  async run({ app, words, flags, io }, client) {
    const set = parseAssignments(words, flags['secret'] === true);
    const request: ConfigChangeRequest = { set, deploy: flags['no-deploy'] !== true };
    const res = await client.patch<ConfigChangeResponse>(appPath(app, '/config'), request);
    const kind = flags['secret'] === true ? 'secret ' : '';
    return reportChange(client, app, res, `set ${kind}${Object.keys(set).join(', ')} for ${app}`, io);
  },
});
