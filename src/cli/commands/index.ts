// Every top-level `slipway` command, in the order `slipway help` lists them.

import type { Command } from '../command.js';
import { appsCommand } from './apps/index.js';
import { auditCommand } from './audit/index.js';
import { configCommand } from './config/index.js';
import { cronCommand } from './cron/index.js';
import { deployCommand } from './deploy.js';
import { execCommand } from './exec.js';
import { lintCommand } from './lint.js';
import { loginCommand } from './login.js';
import { logsCommand } from './logs.js';
import { releasesCommand } from './releases.js';
import { rollbackCommand } from './rollback.js';
import { runsCommand } from './runs.js';
import { secretsCommand } from './secrets/index.js';
import { stacksCommand } from './stacks/index.js';
import { statusCommand } from './status.js';
import { tokensCommand } from './tokens/index.js';
import { upCommand } from './up.js';
import { usersCommand } from './users/index.js';

export const commands: readonly Command[] = [
  upCommand,
  loginCommand,
  appsCommand,
  deployCommand,
  lintCommand,
  execCommand,
  statusCommand,
  logsCommand,
  runsCommand,
  secretsCommand,
  configCommand,
  cronCommand,
  releasesCommand,
  rollbackCommand,
  stacksCommand,
  usersCommand,
  tokensCommand,
  auditCommand,
];
