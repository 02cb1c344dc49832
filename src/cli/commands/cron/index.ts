// `slipway cron …`: the group of cron schedule commands (add, list, rm, run).

import type { Command } from '../../command.js';
import { commandGroup } from '../../dispatch.js';
import { cronAddCommand } from './add.js';
import { cronListCommand } from './list.js';
import { cronRmCommand } from './rm.js';
import { cronRunCommand } from './run.js';

const subcommands: readonly Command[] = [cronAddCommand, cronListCommand, cronRmCommand, cronRunCommand];

export const cronCommand: Command = commandGroup('cron', "run an app's pipeline on a schedule (event cron)", subcommands);
