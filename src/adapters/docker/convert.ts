// Pure mapping between Slipway's service definitions and Docker Engine API objects (no I/O here).

import type { ServiceState } from '../../core/ports/engine.js';
import type { TaskState } from '../../core/types.js';

// The ServiceSpec mapping lives in service-spec.ts; these names stay importable from here.
export { normalizeDefinition, toServiceSpec } from './service-spec.js';
export { fromServiceSpec, specMatches, templateKey } from './service-spec-read.js';

export function toServiceState(raw: unknown): ServiceState {
  const s = asRecord(raw);
  const spec = asRecord(s.Spec);
  const update = asRecord(s.UpdateStatus);
  return {
    id: String(s.ID ?? ''),
    version: Number(asRecord(s.Version).Index ?? 0),
    image: String(asRecord(asRecord(spec.TaskTemplate).ContainerSpec).Image ?? ''),
    replicas: Number(asRecord(asRecord(spec.Mode).Replicated).Replicas ?? 0),
    updateState: typeof update.State === 'string' ? update.State : null,
    updateMessage: typeof update.Message === 'string' ? update.Message : null,
  };
}

export function toTaskState(raw: unknown): TaskState {
  const t = asRecord(raw);
  const status = asRecord(t.Status);
  const err = typeof status.Err === 'string' && status.Err !== '' ? status.Err : null;
  return {
    id: String(t.ID ?? ''),
    image: String(asRecord(asRecord(t.Spec).ContainerSpec).Image ?? ''),
    state: String(status.State ?? 'unknown'),
    desiredState: String(t.DesiredState ?? 'unknown'),
    message: String(status.Message ?? ''),
    error: err,
    node: typeof t.NodeID === 'string' ? t.NodeID : null,
    createdAt: String(t.CreatedAt ?? ''),
    updatedAt: String(t.UpdatedAt ?? status.Timestamp ?? ''),
  };
}

/** Build output is a stream of JSON objects; returns the text to show and the error, if any. */
export function parseBuildMessage(raw: unknown): { text: string | null; error: string | null } {
  const m = asRecord(raw);
  const detail = asRecord(m.errorDetail);
  if (typeof detail.message === 'string') return { text: null, error: detail.message };
  if (typeof m.error === 'string') return { text: null, error: m.error };
  if (typeof m.stream === 'string') return { text: m.stream, error: null };
  if (typeof m.status === 'string') {
    const id = typeof m.id === 'string' ? `${m.id}: ` : '';
    return { text: `${id}${m.status}\n`, error: null };
  }
  return { text: null, error: null };
}

export function pushDigestOf(raw: unknown): string | null {
  const aux = asRecord(asRecord(raw).aux);
  return typeof aux.Digest === 'string' ? aux.Digest : null;
}

export function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
