// The pipeline stage's public face: find the pipeline file, lint it, compile it into a RunPlan.

export { compilePlan } from './compile.js';
export { defaultPlan, dialectOf, discoverPipelines } from './discover.js';
export { formatFinding, formatFindings } from '../yaml/findings.js';
export { lintFile, lintSource } from './lint.js';
export type { Dialect, LintOptions, PipelineSource, RepoFile } from './source.js';
