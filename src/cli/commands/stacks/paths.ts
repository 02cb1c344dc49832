// The API paths and the shared flag of the stacks commands.

import { STACK_NAME } from '../../../core/naming.js';
import { SlipwayError } from '../../../core/errors.js';
import { appPath } from '../../client.js';

export const appFlag = { type: 'string', required: true } as const;

export function stackPath(app: string, stack: string, rest = ''): string {
  return appPath(app, `/stacks/${encodeURIComponent(stack)}${rest}`);
}

export function parseStackName(value: string): string {
  if (!STACK_NAME.test(value)) {
    throw new SlipwayError('invalid_input', `invalid stack name "${value.slice(0, 40)}"`, {
      field: 'stack', hint: 'use 1–32 characters: lowercase letters, digits and "-", starting with a letter and not ending with "-"',
    });
  }
  return value;
}

export const APP_OPTION = '  --app <name>   the app the stack belongs to (required)\n';
