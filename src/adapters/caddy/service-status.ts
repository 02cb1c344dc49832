// Pure: reads the edge service's state out of Engine API answers (unknown JSON) — labels, running task, task errors.

/** Labels at `Spec.Labels` (service) or `Spec.ContainerSpec.Labels` (task); empty when absent. */
export function labelsOf(value: unknown, ...path: readonly string[]): Record<string, string> {
  let current = value;
  for (const key of [...path, 'Labels']) {
    if (typeof current !== 'object' || current === null) return {};
    current = (current as Record<string, unknown>)[key];
  }
  if (typeof current !== 'object' || current === null) return {};
  return Object.fromEntries(Object.entries(current).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

interface TaskView {
  readonly labels: Record<string, string>;
  readonly state: string;
  readonly desiredState: string;
  readonly problem: string | null;
  readonly updatedAt: string;
}

function taskView(task: unknown): TaskView {
  const t = (typeof task === 'object' && task !== null ? task : {}) as Record<string, unknown>;
  const status = (typeof t['Status'] === 'object' && t['Status'] !== null ? t['Status'] : {}) as Record<string, unknown>;
  const err = typeof status['Err'] === 'string' && status['Err'] !== '' ? status['Err'] : null;
  const state = typeof status['State'] === 'string' ? status['State'] : 'unknown';
  const message = typeof status['Message'] === 'string' ? status['Message'] : '';
  return {
    labels: labelsOf(task, 'Spec', 'ContainerSpec'),
    state,
    desiredState: typeof t['DesiredState'] === 'string' ? t['DesiredState'] : 'unknown',
    problem: err ?? (state === 'running' ? null : `${state}: ${message}`),
    updatedAt: typeof t['UpdatedAt'] === 'string' ? t['UpdatedAt'] : '',
  };
}

/** True when a task of the wanted spec (label value) runs and is meant to keep running. */
export function runningTaskWithLabel(tasks: readonly unknown[], label: string, value: string): boolean {
  return tasks.map(taskView).some((t) => t.labels[label] === value && t.state === 'running' && t.desiredState === 'running');
}

/** The most recent task's error or state, for a message that tells the user why the edge is not up. */
export function newestTaskProblem(tasks: readonly unknown[]): string | null {
  const views = tasks.map(taskView).sort((a, b) => (a.updatedAt < b.updatedAt ? 1 : a.updatedAt > b.updatedAt ? -1 : 0));
  return views.find((t) => t.problem !== null)?.problem ?? null;
}
