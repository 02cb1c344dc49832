// An uploaded source directory (`slipway deploy`, `slipway up`'s sample): stored under its sha256, then one run of it.

import type { Readable } from 'node:stream';
import type { App, Run } from '../core/types.js';
import type { Enqueue } from './enqueue.js';
import type { RunSources } from './sources.js';

export interface UploadDeps {
  readonly sources: Pick<RunSources, 'saveUpload'>;
  readonly enqueue: Enqueue;
}

/** `label` is what the run shows as its ref (e.g. "sample"); null for none. */
export async function deployUpload(d: UploadDeps, app: App, body: Readable, label: string | null): Promise<Run> {
  const digest = await d.sources.saveUpload(body);
  return d.enqueue({ app: app.name, source: 'upload', ref: label, commit: digest });
}
