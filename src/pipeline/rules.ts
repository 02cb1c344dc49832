// Lint rules over the read model: unique names, depends_on graphs (steps and pipelines), known secrets, and
// the pieces of the Woodpecker/Drone ordering rules that cannot be mixed.

import type { SourceLocation } from '../core/plan.js';
import type { Findings } from '../yaml/findings.js';
import { suggestion } from '../yaml/findings.js';
import { checkGraph, checkUnique } from './graph.js';
import { clip } from './keys.js';
import type { EnvEntry, PipelineModel, Setting } from './model.js';

/** `partial`: one file of a `.woodpecker/` or `.slipway/` folder, whose pipelines may depend on the other files. */
export function checkPipelines(pipelines: readonly PipelineModel[], findings: Findings, knownSecrets: readonly string[] | null, partial: boolean): void {
  checkUnique(pipelines, findings, 'pipeline');
  checkGraph(pipelines.map((p) => ({ name: p.name, deps: p.dependsOn })), findings, 'pipeline', partial);
  for (const p of pipelines) {
    checkUnique([...p.services, ...p.steps], findings, 'step or service');
    checkGraph(p.steps.map((s) => ({ name: s.name, deps: s.dependsOn ?? [] })), findings, 'step');
    checkGroups(p, findings);
    if (knownSecrets !== null) checkSecrets(p, findings, knownSecrets);
  }
}

/** Woodpecker's legacy `group` only means something when no step uses depends_on. */
function checkGroups(p: PipelineModel, findings: Findings): void {
  if (!p.steps.some((s) => s.dependsOn !== null)) return;
  for (const s of p.steps) {
    if (s.group !== null) findings.error(s.nameLoc, `step "${clip(s.name)}" has a group, but other steps use depends_on`, 'use depends_on only');
  }
}

function checkSecrets(p: PipelineModel, findings: Findings, known: readonly string[]): void {
  const refs: { secret: string; loc: SourceLocation }[] = [];
  const collect = (env: readonly EnvEntry[], settings: readonly Setting[] | null): void => {
    for (const e of env) if (e.value.kind === 'secret') refs.push({ secret: e.value.secret, loc: e.value.loc });
    for (const s of settings ?? []) if (s.value.kind === 'secret') refs.push({ secret: s.value.secret, loc: s.value.loc });
  };
  for (const s of p.steps) collect(s.environment, s.settings);
  for (const s of p.services) collect(s.environment, null);
  for (const name of p.pullSecrets) refs.push({ secret: name.value, loc: name.loc });
  for (const ref of refs) {
    if (ref.secret === '' || known.includes(ref.secret)) continue;
    findings.error(ref.loc, `secret "${clip(ref.secret)}" does not exist${suggestion(ref.secret, known)}`, 'add the secret to the app, or correct the name');
  }
}
