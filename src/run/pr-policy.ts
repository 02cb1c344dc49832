// What a pull request run may do. Its code is not merged yet, and from a fork it is anybody's:
// - no pull request run deploys (the default pipeline is never used for one, and a `deploy` step is skipped):
//   the live app only ever runs merged code;
// - a run from a fork gets no secrets (the executor), cannot push images or notify, and mounts no caches, so it cannot
//   poison what later trusted runs restore from them. Its build still runs (the check a pull request is for), but
//   under a throwaway local name with no other tag, removed when the run ends (run/build-names.ts, builtins.ts).
// Applied to the compiled plan before it is stored, so `slipway runs steps` shows why a step was skipped.

import type { RunMeta, RunPlan, StepPlan } from '../core/plan.js';

export function restrictPullRequest(plan: RunPlan, meta: RunMeta): RunPlan {
  if (meta.event !== 'pull_request') return plan;
  const restrict = (step: StepPlan): StepPlan => {
    const reason =
      step.kind === 'deploy' ? 'pull requests do not deploy; merge it, or promote a run of the merged commit'
      : step.kind === 'push' && meta.fromFork ? 'pull requests from forks cannot push images'
      // The server makes the request: a fork's pipeline must not aim it (SSRF) nor speak in the team's channels.
      : step.kind === 'notify' && meta.fromFork ? 'pull requests from forks send no notifications'
      : null;
    return {
      ...step,
      skip: step.skip ?? reason,
      caches: meta.fromFork ? [] : step.caches,
    };
  };
  return { ...plan, pipelines: plan.pipelines.map((p) => ({ ...p, steps: p.steps.map(restrict) })) };
}
