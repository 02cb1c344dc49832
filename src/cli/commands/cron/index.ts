// `slipway cron …`: the group of cron schedule commands (add, list, rm, run).

import type { Command } from '../../command.js';
import { commandList, dispatch } from '../../dispatch.js';
import { cronAddCommand } from './add.js';
import { cronListCommand } from './list.js';
import { cronRmCommand } from './rm.js';
import { cronRunCommand } from './run.js';

const subcommands: readonly Command[] = [cronAddCommand, cronListCommand, cronRmCommand, cronRunCommand];

export const cronCommand: Command = {
  name: 'cron',
  summary: "run an app's pipeline on a schedule (event cron)",
  usage: commandList('slipway cron', subcommands),
  subcommands,
  run: (args, io) => dispatch('slipway cron', subcommands, args, io),
};
