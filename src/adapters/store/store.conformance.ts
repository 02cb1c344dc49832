// The one Store conformance suite: every implementation (fake and SQLite) must pass all of it.

import { appConfigConformance } from './conformance-app-config.js';
import { appRepoConformance } from './conformance-app-repos.js';
import { appConformance } from './conformance-apps.js';
import type { OpenStore } from './conformance-kit.js';
import { limitConformance } from './conformance-limits.js';
import { pipelineConformance } from './conformance-pipelines.js';
import { releaseConformance } from './conformance-releases.js';
import { runConformance } from './conformance-runs.js';
import { scheduleConformance } from './conformance-schedules.js';
import { secretConformance } from './conformance-secrets.js';
import { stackReleaseConformance } from './conformance-stack-releases.js';
import { userConformance } from './conformance-users.js';

export type { OpenedStore, OpenStore } from './conformance-kit.js';

/** Registers the suite's node:test tests; `open` makes a fresh, empty store for each test. */
export function storeConformance(open: OpenStore): void {
  appConformance(open);
  runConformance(open);
  releaseConformance(open);
  pipelineConformance(open);
  secretConformance(open);
  scheduleConformance(open);
  appRepoConformance(open);
  appConfigConformance(open);
  limitConformance(open);
  stackReleaseConformance(open);
  userConformance(open);
}
