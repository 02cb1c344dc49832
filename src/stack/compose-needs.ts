// Which repository files a set of compose files needs besides themselves, so the caller can extract them before the
// (pure) reader runs: `.env` beside the first file and every env_file for the reader, config and secret files for
// the rollout. Paths that leave the repository are left out here; the reader reports them.

import type { RepoFile } from '../yaml/file.js';
import { Findings } from '../yaml/findings.js';
import { valueOf } from '../yaml/node.js';
import { parseYaml } from '../yaml/parse.js';
import { envFileRefs } from './compose-env-file.js';
import { dotenvPath, resolveRepoPath } from './compose-paths.js';
import { interpolateTree } from './interpolate-tree.js';
import type { ComposeVariables } from './model.js';

export interface ComposeNeeds {
  /** Texts readComposeFiles asks for through readRepoFile (missing ones are fine: `.env` is optional). */
  readonly reader: readonly string[];
  /** Files the top-level configs and secrets take their content from. */
  readonly objects: readonly string[];
}

export function composeNeeds(files: readonly RepoFile[], vars: ComposeVariables = {}): ComposeNeeds {
  const reader = new Set<string>();
  const objects = new Set<string>();
  if (files[0] !== undefined) reader.add(dotenvPath(files[0].path));
  for (const file of files) {
    const doc = parseYaml(file).documents[0];
    if (doc === undefined || doc.kind !== 'map') continue;
    // Variables in paths are replaced as the reader replaces them; failures are the reader's to report.
    const tree = interpolateTree(doc, vars, new Findings());
    const add = (set: Set<string>, rel: string) => {
      const r = resolveRepoPath(file.path, rel);
      if ('path' in r) set.add(r.path);
    };
    const services = tree.kind === 'map' ? valueOf(tree, 'services') : undefined;
    for (const e of services?.kind === 'map' ? services.entries : []) {
      const envFile = e.value.kind === 'map' ? valueOf(e.value, 'env_file') : undefined;
      if (envFile !== undefined) for (const ref of envFileRefs(envFile, null, e.key)) add(reader, ref.rel);
    }
    for (const kind of ['configs', 'secrets']) {
      const top = tree.kind === 'map' ? valueOf(tree, kind) : undefined;
      for (const e of top?.kind === 'map' ? top.entries : []) {
        const f = e.value.kind === 'map' ? valueOf(e.value, 'file') : undefined;
        if (f !== undefined && f.kind === 'scalar' && f.value !== null) add(objects, f.text);
      }
    }
  }
  return { reader: [...reader], objects: [...objects] };
}
