// `slipway config …`: an app's runtime environment variables (set, unset, list, import, apply).

import type { Command } from '../../command.js';
import { commandGroup } from '../../dispatch.js';
import { configApplyCommand } from './apply.js';
import { configImportCommand } from './import.js';
import { configListCommand } from './list.js';
import { configSetCommand } from './set.js';
import { configUnsetCommand } from './unset.js';

const subcommands: readonly Command[] = [configSetCommand, configUnsetCommand, configListCommand, configImportCommand, configApplyCommand];

export const configCommand: Command = commandGroup('config', "an app's environment variables, part of each release", subcommands);
