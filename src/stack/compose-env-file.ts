// A service's `env_file`: files of the repository (beside the compose file that names them) read as compose reads them.

import { describeNode, valueOf, type YNode } from '../yaml/node.js';
import { resolveRepoPath } from './compose-paths.js';
import { opt, readBool, type ComposeContext } from './compose-values.js';
import { parseDotenv } from './dotenv.js';

export interface EnvFileRef {
  readonly rel: string;
  readonly required: boolean;
  readonly node: YNode;
}

/** The env_file entries as written: a string, a list of strings, or a list of { path, required }. */
export function envFileRefs(node: YNode, ctx: ComposeContext | null, where: string): EnvFileRef[] {
  const items = node.kind === 'seq' ? node.items : [node];
  const out: EnvFileRef[] = [];
  for (const item of items) {
    if (item.kind === 'map') {
      const path = valueOf(item, 'path');
      const rel = path !== undefined && path.kind === 'scalar' && path.value !== null ? path.text : null;
      if (rel === null) ctx?.findings.error(item.loc, `an env_file of ${where} has no path`);
      else out.push({ rel, required: (ctx === null ? null : opt(item, 'required', (n) => readBool(n, ctx, `required of env_file of ${where}`))) ?? true, node: item });
    } else if (item.kind === 'scalar' && item.value !== null) out.push({ rel: item.text, required: true, node: item });
    else ctx?.findings.error(item.loc, `env_file of ${where} must be a path or a list of paths, got ${describeNode(item)}`);
  }
  return out;
}

/** Every variable of the service's env files, later files winning, as compose merges them. */
export function readEnvFiles(node: YNode, ctx: ComposeContext, where: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const ref of envFileRefs(node, ctx, where)) {
    const resolved = resolveRepoPath(ref.node.loc.file, ref.rel);
    if ('error' in resolved) {
      ctx.findings.error(ref.node.loc, `env_file of ${where}: ${resolved.error}`);
      continue;
    }
    const text = ctx.readRepoFile(resolved.path);
    if (text === null) {
      if (ref.required) ctx.findings.error(ref.node.loc, `env_file ${resolved.path} of ${where} is not in the repository`, 'commit it, or write required: false');
      continue;
    }
    const parsed = parseDotenv(text);
    for (const e of parsed.errors) ctx.findings.error(ref.node.loc, `env_file ${resolved.path}:${e.line} of ${where}: ${e.message}`);
    Object.assign(out, parsed.values);
  }
  return out;
}

