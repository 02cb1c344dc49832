// `slipway apps …`: the group of app commands (create, set, list, delete, connect, repo, disconnect).

import type { Command } from '../../command.js';
import { commandGroup } from '../../dispatch.js';
import { appsCreateCommand } from './create.js';
import { appsDeleteCommand } from './delete.js';
import { appsListCommand } from './list.js';
import { appsSetCommand } from './set.js';
import { appsConnectCommand, appsDisconnectCommand, appsRepoCommand } from './repo.js';

const subcommands: readonly Command[] = [appsCreateCommand, appsSetCommand, appsListCommand, appsDeleteCommand, appsConnectCommand, appsRepoCommand, appsDisconnectCommand];

export const appsCommand: Command = commandGroup('apps', 'create, list, delete apps and connect them to forge repositories', subcommands);
