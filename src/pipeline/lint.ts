// `slipway lint`: parse → read → rules over a pipeline source, returning every finding with file, line and column.
// The compiler runs the same analysis and refuses to plan when any finding is an error.

import type { LintFinding } from '../core/plan.js';
import { Findings, sortFindings } from '../yaml/findings.js';
import { parseYaml } from '../yaml/parse.js';
import { dialectOf, guessDialect } from './discover.js';
import type { PipelineModel } from './model.js';
import { readPipeline } from './read-pipeline.js';
import { checkPipelines } from './rules.js';
import type { Dialect, LintOptions, PipelineSource, RepoFile } from './source.js';

export interface Analysis {
  /** Sorted by file, line, column. */
  readonly findings: readonly LintFinding[];
  readonly pipelines: readonly PipelineModel[];
}

export function analyze(source: PipelineSource, options: LintOptions, partial = false): Analysis {
  const findings = new Findings();
  const ctx = { findings, dialect: source.dialect };
  const pipelines: PipelineModel[] = [];
  for (const file of source.files) {
    const parsed = parseYaml(file);
    findings.list.push(...parsed.findings);
    const docs = parsed.documents;
    if (docs.length === 0 && parsed.findings.length === 0) findings.error({ file: file.path, line: 1, column: 1 }, 'file has no pipeline');
    const second = docs[1];
    if (source.dialect === 'woodpecker' && second !== undefined) {
      findings.error(second.loc, 'a Woodpecker file holds one workflow', 'put each workflow in its own file under .woodpecker/');
    }
    docs.forEach((doc, index) => {
      const p = readPipeline(doc, { file: file.path, index, count: docs.length }, ctx);
      if (p !== null) pipelines.push(p);
    });
  }
  const first = source.files[0];
  for (const path of source.shadowed) {
    findings.warn({ file: path, line: 1, column: 1 }, `ignored: ${first?.path ?? 'another pipeline file'} takes precedence`);
  }
  checkPipelines(pipelines, findings, options.knownSecrets, partial);
  if (pipelines.length === 0 && !findings.hasErrors && first !== undefined) {
    findings.error({ file: first.path, line: 1, column: 1 }, 'no pipeline to run', 'add a document with steps');
  }
  return { findings: sortFindings(findings.list), pipelines };
}

/** Every finding of a repository's pipeline source. */
export function lintSource(source: PipelineSource, options: LintOptions): readonly LintFinding[] {
  return analyze(source, options).findings;
}

/**
 * `slipway lint <file>`: one file; the dialect from its name, else from its content, unless given. A file inside
 * `.woodpecker/` or `.slipway/` may depend on workflows in its sibling files, which are not checked here.
 */
export function lintFile(file: RepoFile, options: LintOptions, dialect?: Dialect): readonly LintFinding[] {
  const d = dialect ?? dialectOf(file.path) ?? guessDialect(file.text);
  const inFolder = /(^|\/)\.(woodpecker|slipway)\/[^/]+$/.test(file.path.replace(/\\/g, '/'));
  return analyze({ dialect: d, files: [file], shadowed: [] }, options, inFolder).findings;
}
