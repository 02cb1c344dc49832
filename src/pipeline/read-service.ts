// Reads one service: a sidecar container (database, cache …) that steps reach by its name.

import type { MapNode } from '../yaml/node.js';
import { checkKeys, clip, keyTable } from './keys.js';
import type { ServiceModel } from './model.js';
import { readContainerCommon, readName } from './read-container.js';
import type { ReadContext } from './read-values.js';
import { readWhen } from './read-when.js';

/** Service names become host names on the pipeline network. */
const HOST_NAME = /^[A-Za-z0-9]([A-Za-z0-9_-]{0,61}[A-Za-z0-9])?$/;

export function readService(map: MapNode, keyName: string | null, index: number, ctx: ReadContext): ServiceModel {
  const { name, nameLoc } = readName(map, keyName, `service-${index + 1}`, ctx, 'service');
  const where = `service "${clip(name)}"`;
  checkKeys(map, keyTable(ctx.dialect, 'service'), ctx, where);
  if (!HOST_NAME.test(name)) ctx.findings.error(nameLoc, `${where}: a service name must be a valid host name`, 'letters, digits, - and _, up to 63 characters');
  const common = readContainerCommon(map, ctx, where);
  if (common.image === null) ctx.findings.error(nameLoc, `${where} has no image`, 'add `image: …`');
  return {
    name,
    nameLoc,
    loc: map.loc,
    image: common.image,
    commands: common.commands,
    entrypoint: common.entrypoint,
    environment: common.environment,
    when: readWhen(map.entries.find((e) => e.key === 'when')?.value, ctx, 'condition', `when of ${where}`),
    limits: common.limits,
  };
}
