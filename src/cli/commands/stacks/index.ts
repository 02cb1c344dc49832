// `slipway stacks …`: compose stacks of an app (issue 13): deploy, lint, ls, services, ps, releases, rollback, diff, rm.

import type { Command } from '../../command.js';
import { commandGroup } from '../../dispatch.js';
import { stacksDeployCommand } from './deploy.js';
import { stacksDiffCommand } from './diff.js';
import { stacksLintCommand } from './lint.js';
import { stacksLsCommand } from './ls.js';
import { stacksReleasesCommand } from './releases.js';
import { stacksRmCommand } from './rm.js';
import { stacksRollbackCommand } from './rollback.js';
import { stacksPsCommand, stacksServicesCommand } from './services.js';

const subcommands: readonly Command[] = [
  stacksDeployCommand, stacksLintCommand, stacksLsCommand, stacksServicesCommand, stacksPsCommand, stacksReleasesCommand, stacksRollbackCommand,
  stacksDiffCommand, stacksRmCommand,
];

export const stacksCommand: Command = commandGroup('stacks', 'compose stacks of an app: deploy, releases, rollback, diff', subcommands);
