// What `slipway config set|unset|import|apply` prints after the server stored a change: the rollout followed live, or
// why nothing rolls out yet. A failed rollout says plainly that the change is kept and the old release serves.

import type { ConfigChangeResponse } from '../../../core/api-config.js';
import { SlipwayError, asSlipwayError } from '../../../core/errors.js';
import type { SlipwayClient } from '../../client.js';
import type { CliIO } from '../../command.js';
import { followRun } from '../../follow-run.js';

export async function reportChange(client: SlipwayClient, app: string, res: ConfigChangeResponse, what: string, io: CliIO): Promise<number> {
  io.stdout.write(`${what}\n`);
  if (res.applied === 'staged') {
    io.stdout.write(`staged: not rolled out; it goes out with the next deploy of ${app}, or now with "slipway config apply ${app}"\n`);
    return 0;
  }
  if (res.applied === 'no_live_release' || res.run === null) {
    io.stdout.write(`${app} has no live release yet: its first deploy starts with this config\n`);
    return 0;
  }
  try {
    return await followRun(client, res.run, io);
  } catch (err) {
    const e = asSlipwayError(err);
    if (e.kind === 'cancelled') throw e;
    throw new SlipwayError(e.kind, `the config change is stored, but rolling it out failed: ${e.message}`, {
      hint: `the previous release keeps serving with its previous config; the stored config goes out with the next deploy ` +
        `(or "slipway config apply ${app}"): fix it with "slipway config set|unset ${app} …"; see "slipway config list ${app}"`,
    });
  }
}
