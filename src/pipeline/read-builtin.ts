// Reads Slipway's built-in steps, which need no image: `build:` (Dockerfile, context, target, args, tags),
// `push: {}`, `deploy: { stack?, file?, environment? }` and `notify: { url, message? }`.

import { STACK_NAME } from '../core/naming.js';
import type { SourceLocation } from '../core/plan.js';
import type { MapEntry, MapNode, YNode } from '../yaml/node.js';
import { checkAllowed, clip } from './keys.js';
import type { Builtin } from './model.js';
import { readMap, readNonEmptyString, readString, readStringList, type ReadContext } from './read-values.js';

export const BUILTIN_KEYS = ['build', 'push', 'deploy', 'notify'] as const;

/** A docker tag, or the placeholder the run stage replaces with `git describe --tags`. */
const TAG = /^(\$describe|[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})$/;

export function readBuiltin(entry: MapEntry, ctx: ReadContext, where: string): Builtin | null {
  const what = `${entry.key} of ${where}`;
  const isNull = entry.value.kind === 'scalar' && entry.value.value === null;
  const map = isNull ? null : readMap(entry.value, ctx, what);
  if (map === null && !isNull) return null;
  const get = (key: string): YNode | undefined => map?.entries.find((e) => e.key === key)?.value;
  const optString = (key: string): string | null => {
    const n = get(key);
    return n === undefined ? null : readNonEmptyString(n, ctx, `${what} ${key}`);
  };
  switch (entry.key) {
    case 'build': {
      if (map) checkAllowed(map, ['dockerfile', 'context', 'target', 'args', 'tags'], ctx, what);
      const dockerfile = repoPath(optString('dockerfile') ?? 'Dockerfile', get('dockerfile')?.loc ?? entry.keyLoc, ctx, what);
      const context = repoPath(optString('context') ?? '.', get('context')?.loc ?? entry.keyLoc, ctx, what);
      const tagsNode = get('tags');
      const tags = tagsNode === undefined ? [] : readStringList(tagsNode, ctx, `${what} tags`) ?? [];
      for (const t of tags) {
        if (!TAG.test(t) && !t.includes('${')) ctx.findings.error(tagsNode?.loc ?? entry.keyLoc, `invalid image tag "${clip(t)}"`, 'tags are letters, digits, _ . - (up to 128), or $describe');
      }
      const argsNode = get('args');
      return { kind: 'build', build: { dockerfile, context, target: optString('target'), args: argsNode ? readArgs(argsNode, ctx, what) : {}, tags } };
    }
    case 'push':
      if (map) checkAllowed(map, [], ctx, what);
      return { kind: 'push' };
    case 'deploy': {
      if (map) checkAllowed(map, ['stack', 'file', 'environment'], ctx, what);
      const stack = optString('stack');
      // Stack names become part of Swarm service names (core/naming.ts); `${…}` is filled in at compile time.
      if (stack !== null && !STACK_NAME.test(stack) && !stack.includes('${')) {
        ctx.findings.error(get('stack')?.loc ?? entry.keyLoc, `${what} stack "${clip(stack)}" is not a valid stack name`, 'use 1–32 characters: lowercase letters, digits and "-", starting with a letter and not ending with "-"');
      }
      const deploy = { stack, environment: optString('environment') };
      const fileNode = get('file');
      if (fileNode === undefined) return { kind: 'deploy', deploy: stack === null ? deploy : { ...deploy, file: null } };
      if (get('stack') === undefined) {
        ctx.findings.error(fileNode.loc, `${what} file needs a stack`, 'add `stack: <name>`: the app itself is deployed from its image, a stack from a compose file');
      }
      const file = optString('file');
      return { kind: 'deploy', deploy: { ...deploy, file: file === null ? null : repoPath(file, fileNode.loc, ctx, what) } };
    }
    default: {
      if (map) checkAllowed(map, ['url', 'message'], ctx, what);
      const url = optString('url');
      if (url === null) {
        if (get('url') === undefined) ctx.findings.error(entry.keyLoc, `${what} needs a url`);
        return null;
      }
      // `${NAME}` is left for the run stage to fill from the step's environment (a webhook URL is usually a secret).
      if (!/^https?:\/\//.test(url) && !url.startsWith('${')) ctx.findings.error(get('url')?.loc ?? entry.keyLoc, `${what} url must start with http:// or https://`);
      return { kind: 'notify', notify: { url, message: optString('message') } };
    }
  }
}

function readArgs(node: YNode, ctx: ReadContext, what: string): Record<string, string> {
  const map: MapNode | null = readMap(node, ctx, `${what} args`);
  const out: Record<string, string> = {};
  for (const e of map?.entries ?? []) {
    const v = readString(e.value, ctx, `${what} args ${clip(e.key)}`);
    if (v !== null) out[e.key] = v;
  }
  return out;
}

/** Dockerfile and context are read from the repository, so they must not point outside it. */
function repoPath(path: string, loc: SourceLocation, ctx: ReadContext, what: string): string {
  if (path.startsWith('/') || path.split('/').includes('..')) {
    ctx.findings.error(loc, `${what}: "${clip(path)}" must be a path inside the repository`);
  } else if (/[\u0000-\u001f\u007f]/.test(path)) {
    // A NUL or newline reaches git and Docker as a file name: git's argv refuses NUL with a TypeError, not an answer.
    ctx.findings.error(loc, `${what}: ${JSON.stringify(clip(path))} holds a control character`, 'name a file by its plain path');
  }
  return path;
}
