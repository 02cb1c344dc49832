// `slipway apps …`: the group of app commands (create, list, delete).

import type { Command } from '../../command.js';
import { commandList, dispatch } from '../../dispatch.js';
import { appsCreateCommand } from './create.js';
import { appsDeleteCommand } from './delete.js';
import { appsListCommand } from './list.js';

const subcommands: readonly Command[] = [appsCreateCommand, appsListCommand, appsDeleteCommand];

export const appsCommand: Command = {
  name: 'apps',
  summary: 'create, list and delete apps',
  usage: commandList('slipway apps', subcommands),
  subcommands,
  run: (args, io) => dispatch('slipway apps', subcommands, args, io),
};
