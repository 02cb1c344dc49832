// `slipway apps …`: the group of app commands (create, set, list, delete, connect, repo, disconnect).

import type { Command } from '../../command.js';
import { commandList, dispatch } from '../../dispatch.js';
import { appsCreateCommand } from './create.js';
import { appsDeleteCommand } from './delete.js';
import { appsListCommand } from './list.js';
import { appsSetCommand } from './set.js';
import { appsConnectCommand, appsDisconnectCommand, appsRepoCommand } from './repo.js';

const subcommands: readonly Command[] = [appsCreateCommand, appsSetCommand, appsListCommand, appsDeleteCommand, appsConnectCommand, appsRepoCommand, appsDisconnectCommand];

export const appsCommand: Command = {
  name: 'apps',
  summary: 'create, list, delete apps and connect them to forge repositories',
  usage: commandList('slipway apps', subcommands),
  subcommands,
  run: (args, io) => dispatch('slipway apps', subcommands, args, io),
};
