// Step ordering: without depends_on anywhere, steps run one after another in file order; once any step has
// depends_on (even `[]`), the pipeline is a graph and a step without it starts at once (Drone and Woodpecker
// alike). Woodpecker's legacy `group` runs consecutive steps of a group in parallel.

import type { StepModel } from './model.js';

/** dependsOn for each step, in step order. */
export function stepDependencies(steps: readonly StepModel[]): string[][] {
  if (steps.some((s) => s.dependsOn !== null)) {
    return steps.map((s) => [...new Set((s.dependsOn ?? []).map((d) => d.value))]);
  }
  if (steps.some((s) => s.group !== null)) return byGroups(steps);
  return steps.map((_, i) => {
    const previous = steps[i - 1];
    return previous === undefined ? [] : [previous.name];
  });
}

function byGroups(steps: readonly StepModel[]): string[][] {
  const out: string[][] = [];
  let previousStage: string[] = [];
  let stage: string[] = [];
  let group: string | null = null;
  for (const s of steps) {
    if (stage.length === 0 || s.group === null || s.group !== group) {
      if (stage.length > 0) previousStage = stage;
      stage = [];
      group = s.group;
    }
    stage.push(s.name);
    out.push([...previousStage]);
  }
  return out;
}
