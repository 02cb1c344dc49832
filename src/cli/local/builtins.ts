// The built-in steps of `slipway exec`: build makes the image on this machine's engine; push, deploy and notify are skipped.

import { existsSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { SlipwayError } from '../../core/errors.js';
import type { BuildSettings, RunMeta, StepPlan } from '../../core/plan.js';
import type { EnginePort } from '../../core/ports/engine.js';
import type { WorkspaceExporter } from '../../core/ports/step-backend.js';
import type { BuiltinContext, BuiltinSteps } from '../../run/pipeline-runner.js';
import { packDirectory } from '../tarball.js';

/** What exec needs of the engine: image builds (DockerEngine, or a fake in tests). */
export type ImageBuilder = Pick<EnginePort, 'build'>;

export interface LocalBuiltinsOptions {
  /** The directory being run: the build context when there is no workspace. */
  readonly dir: string;
  /** Repository the image is tagged in, e.g. `slipway-exec/shop`. */
  readonly repository: string;
  readonly meta: RunMeta;
  readonly builder: ImageBuilder;
  /** Exports the workspace after earlier steps ran (DockerStepBackend); null when the backend cannot. */
  readonly exporter: WorkspaceExporter | null;
}

const DEFAULT_BUILD: BuildSettings = { dockerfile: 'Dockerfile', context: '.', target: null, args: {}, tags: [] };

/** The line a skipped push, deploy or notify step prints. */
export function skippedLine(kind: string): string {
  return `exec does not ${kind}; skipped\n`;
}

export class LocalBuiltins implements BuiltinSteps {
  /** Every image tag built, in order. */
  readonly built: string[] = [];

  constructor(private readonly options: LocalBuiltinsOptions) {}

  async run(step: StepPlan, b: BuiltinContext): Promise<void> {
    if (step.kind === 'build') return this.#build(step, b);
    if (step.kind === 'push' || step.kind === 'deploy' || step.kind === 'notify') {
      b.log(skippedLine(step.kind));
      return;
    }
    throw new SlipwayError('internal', `step ${step.name} has no image and is not a built-in step`);
  }

  async #build(step: StepPlan, b: BuiltinContext): Promise<void> {
    const { repository, meta, builder, exporter } = this.options;
    const settings = step.build ?? DEFAULT_BUILD;
    const tag = `${repository}:latest`;
    const extra = settings.tags.flatMap((t) => {
      const value = t === '$describe' ? meta.describe : t;
      if (value === null) b.log(`--> no tag in this commit's history: skipping the $describe tag\n`);
      return value === null ? [] : [`${repository}:${value.replace(/[^A-Za-z0-9_.-]/g, '-').slice(0, 128)}`];
    });
    // Like the server: after container steps, the context is the workspace as they left it.
    const anyImage = b.pipeline.steps.find((s) => s.image !== null)?.image ?? null;
    let context: Readable;
    let from: string;
    if (b.workspace !== null && exporter !== null && anyImage !== null) {
      context = await exporter.exportWorkspace(b.workspace.volume, settings.context, anyImage);
      from = settings.context === '.' ? 'the workspace' : `${settings.context} in the workspace`;
    } else {
      const folder = this.#contextFolder(settings);
      if (!existsSync(join(folder, settings.dockerfile))) {
        throw new SlipwayError('invalid_input', `no ${settings.dockerfile} in ${folder}`, {
          field: settings.dockerfile,
          hint: 'add a Dockerfile, or point the build step at one with dockerfile:',
        });
      }
      context = Readable.from([await packDirectory(folder)]);
      from = folder;
    }
    b.log(`--> building ${tag} from ${from}\n`);
    try {
      await builder.build({
        context,
        tag,
        extraTags: extra,
        dockerfile: settings.dockerfile,
        target: settings.target,
        buildArgs: settings.args,
        labels: { 'io.slipway.exec': meta.app, 'io.slipway.commit': meta.commit },
        onLog: b.log,
        signal: b.signal,
      });
    } catch (err) {
      if (err instanceof SlipwayError && err.kind === 'build_failed') {
        throw new SlipwayError('build_failed', err.message, { field: err.field, cause: err, hint: 'fix the Dockerfile step shown above, then run "slipway exec" again' });
      }
      throw err;
    }
    this.built.push(tag, ...extra);
    b.log(`--> built ${[tag, ...extra].join(', ')}\n`);
  }

  /** The build context folder on disk; it must lie inside the directory being run. */
  #contextFolder(settings: BuildSettings): string {
    const folder = resolve(this.options.dir, settings.context);
    const rel = relative(this.options.dir, folder);
    if (rel.startsWith('..') || isAbsolute(rel)) {
      throw new SlipwayError('invalid_input', `build context ${settings.context} leaves the directory`, { field: 'context', hint: 'use a folder inside it' });
    }
    return folder;
  }
}
