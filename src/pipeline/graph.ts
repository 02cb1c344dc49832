// depends_on as a graph, for steps within a pipeline and for pipelines within a run: unknown names and cycles
// (reported with their path, e.g. "build → test → build").

import { suggestion, type Findings } from '../yaml/findings.js';
import { clip } from './keys.js';
import type { Located } from './model.js';

export interface GraphNode {
  readonly name: string;
  readonly deps: readonly Located<string>[];
}

/** `partial`: the nodes are part of a larger set (one file of a folder), so unknown names are not errors. */
export function checkGraph(nodes: readonly GraphNode[], findings: Findings, what: 'step' | 'pipeline', partial = false): void {
  const byName = new Map<string, GraphNode>();
  for (const n of nodes) if (!byName.has(n.name)) byName.set(n.name, n);
  const names = [...byName.keys()];
  for (const n of partial ? [] : nodes) {
    for (const dep of n.deps) {
      if (!byName.has(dep.value)) findings.error(dep.loc, `depends_on names unknown ${what} "${clip(dep.value)}"${suggestion(dep.value, names)}`);
    }
  }
  reportCycles(byName, findings);
}

/**
 * Depth-first search, iterative so a file with thousands of chained steps cannot overflow the stack; each cycle
 * is reported once, at the depends_on entry that closes it.
 */
function reportCycles(byName: ReadonlyMap<string, GraphNode>, findings: Findings): void {
  const state = new Map<string, 'active' | 'done'>();
  const reported = new Set<string>();
  for (const root of byName.keys()) {
    if (state.has(root)) continue;
    const stack: { name: string; next: number }[] = [{ name: root, next: 0 }];
    state.set(root, 'active');
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as { name: string; next: number };
      const dep = byName.get(top.name)?.deps[top.next++];
      if (dep === undefined) {
        state.set(top.name, 'done');
        stack.pop();
        continue;
      }
      if (!byName.has(dep.value)) continue;
      const s = state.get(dep.value);
      if (s === undefined) {
        state.set(dep.value, 'active');
        stack.push({ name: dep.value, next: 0 });
      } else if (s === 'active') {
        const path = stack.map((f) => f.name);
        const cycle = path.slice(path.indexOf(dep.value));
        const key = [...cycle].sort().join('\0');
        if (reported.has(key)) continue;
        reported.add(key);
        findings.error(dep.loc, `depends_on cycle: ${[...cycle, dep.value].map((c) => clip(c, 40)).join(' → ')}`);
      }
    }
  }
}

/** The names of a set of items, reporting the second and later uses of a name. */
export function checkUnique(items: readonly { name: string; nameLoc: Located<string>['loc'] }[], findings: Findings, what: string): void {
  const first = new Map<string, Located<string>['loc']>();
  for (const item of items) {
    const prev = first.get(item.name);
    if (prev === undefined) first.set(item.name, item.nameLoc);
    else findings.error(item.nameLoc, `duplicate ${what} name "${clip(item.name)}" (first at line ${prev.line})`);
  }
}
