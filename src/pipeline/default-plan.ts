// The plan of a repository without a pipeline file: build the Dockerfile, push the image, deploy the app.

import type { RunMeta, RunPlan, SourceLocation, StepPlan } from '../core/plan.js';
import { builtinEnv } from './env.js';
import { DEFAULT_WORKSPACE } from './workspace.js';

const NAME = 'default';
const LOCATION: SourceLocation = { file: '(default pipeline)', line: 1, column: 1 };

export function defaultPlan(meta: RunMeta): RunPlan {
  const workspace = DEFAULT_WORKSPACE.slipway;
  const env = builtinEnv(meta, { pipeline: NAME, workspace, matrix: null });
  const step = (name: 'build' | 'push' | 'deploy', dependsOn: string[]): StepPlan => ({
    name,
    kind: name,
    image: null,
    commands: [],
    entrypoint: null,
    environment: { ...env, DRONE_STEP_NAME: name, CI_STEP_NAME: name },
    secrets: [],
    dependsOn,
    status: ['success'],
    skip: null,
    failure: 'fail',
    detach: false,
    timeoutSeconds: null,
    retry: 0,
    pull: 'if-not-exists',
    caches: [],
    build: name === 'build' ? { dockerfile: 'Dockerfile', context: '.', target: null, args: {}, tags: [] } : null,
    deploy: name === 'deploy' ? { stack: null, environment: meta.event === 'deploy' ? meta.target : null } : null,
    notify: null,
    location: LOCATION,
  });
  return {
    pipelines: [
      {
        name: NAME,
        file: LOCATION.file,
        dependsOn: [],
        workspace,
        matrix: null,
        services: [],
        steps: [step('build', []), step('push', ['build']), step('deploy', ['push'])],
        skip: null,
        status: ['success'],
      },
    ],
    warnings: [],
  };
}
