// `slipway secrets …`: the group of app secret commands (set, list, rm).

import type { Command } from '../../command.js';
import { commandGroup } from '../../dispatch.js';
import { secretsListCommand } from './list.js';
import { secretsRmCommand } from './rm.js';
import { secretsSetCommand } from './set.js';

const subcommands: readonly Command[] = [secretsSetCommand, secretsListCommand, secretsRmCommand];

export const secretsCommand: Command = commandGroup('secrets', "set, list and remove an app's pipeline secrets", subcommands);
