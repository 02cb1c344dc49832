// `slipway audit [--app A] [--limit N]`: GET /api/audit, who changed what, when and from where.

import type { AuditResponse } from '../../../core/api-access.js';
import { parseAppName } from '../../../core/names.js';
import { apiCommand } from '../../define.js';
import { wholeNumber } from '../../flags.js';
import { table, when } from '../../format.js';

export const auditCommand = apiCommand({
  path: 'audit',
  summary: 'who changed what, when and from where',
  usage: `usage: slipway audit [--app <app>] [--limit <n>]

Lists events newest first: changes made through the API (with the user or token and the address),
sign-ins, refused requests, and what Slipway did by itself (shown as "slipway").

options:
  --app <app>     only this app's events
  --limit <n>     how many (default 50, at most 1000)
`,
  args: [],
  flags: { app: { type: 'string', parse: parseAppName }, limit: { type: 'string', parse: (v: string) => wholeNumber(v, 'limit') } },
  async run({ flags, io }, client) {
    const query = new URLSearchParams({ limit: String(flags.limit ?? 50), ...(flags.app !== undefined && { app: flags.app }) });
    const { events } = await client.get<AuditResponse>(`/api/audit?${query.toString()}`);
    io.stdout.write(table(['WHEN', 'WHO', 'FROM', 'APP', 'WHAT'], events.map((e) => [
      when(e.at), e.actor ?? 'slipway', e.source ?? '-', e.app ?? '-', describe(e.type, e.data),
    ])));
    return 0;
  },
});

function describe(type: string, data: unknown): string {
  const d = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>;
  if (type === 'api.change' || type === 'access.denied') return `${type === 'access.denied' ? 'DENIED ' : ''}${String(d.route ?? '')} ${String(d.path ?? '')}`.trim();
  const detail = Object.entries(d).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join(' ');
  return detail === '' ? type : `${type} ${detail}`;
}
