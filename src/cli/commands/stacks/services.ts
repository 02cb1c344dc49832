// `slipway stacks services <name>` and `slipway stacks ps <name>`: the stack's live services, and their tasks.

import type { StackServicesResponse } from '../../../core/api.js';
import { apiCommand } from '../../define.js';
import { paint, statusColour, table, when } from '../../format.js';
import { APP_OPTION, appFlag, parseStackName, stackPath } from './paths.js';

export const stacksServicesCommand = apiCommand({
  path: 'stacks services',
  summary: "list a stack's services",
  usage: `usage: slipway stacks services <name> --app <app>\n\nThe services Swarm runs for the stack: image of the live release, tasks running of wanted.\n\noptions:\n${APP_OPTION}`,
  args: [{ name: 'name', parse: parseStackName }],
  flags: { app: appFlag },
  async run({ args: { name }, flags, io }, client) {
    const { services } = await client.get<StackServicesResponse>(stackPath(flags.app, name, '/services'));
    io.stdout.write(table(['SERVICE', 'IMAGE', 'REPLICAS', 'SWARM NAME'], services.map((s) => [s.name, s.image ?? '-', `${s.running}/${s.desired ?? '?'}`, s.serviceName])));
    return 0;
  },
});

export const stacksPsCommand = apiCommand({
  path: 'stacks ps',
  summary: "list the tasks of a stack's services",
  usage: `usage: slipway stacks ps <name> --app <app>\n\nEvery task of the stack's services (as "docker stack ps"): state, desired state, node, error.\n\noptions:\n${APP_OPTION}`,
  args: [{ name: 'name', parse: parseStackName }],
  flags: { app: appFlag },
  async run({ args: { name }, flags, io }, client) {
    const { services } = await client.get<StackServicesResponse>(stackPath(flags.app, name, '/services'));
    const rows = services.flatMap((s) => s.tasks.map((t) => [
      s.name, t.id.slice(0, 12), paint(io, io.stdout, statusColour(t.state), t.state), t.desiredState, t.node ?? '-', when(t.updatedAt), t.error ?? '',
    ]));
    io.stdout.write(table(['SERVICE', 'TASK', 'STATE', 'DESIRED', 'NODE', 'UPDATED', 'ERROR'], rows));
    return 0;
  },
});
