// The HTTP API's shapes for an app's runtime config (issue 14): the server fills them, the CLI and dashboard read them.
//
//   GET    /api/apps/:app/config                       → ConfigResponse (secret values never: value null)
//   PATCH  /api/apps/:app/config  ConfigChangeRequest  → 202 ConfigChangeResponse (set and unset, all or nothing)
//   PUT    /api/apps/:app/config  ConfigReplaceRequest → 202 ConfigChangeResponse (the whole config; keys not named go)
//   DELETE /api/apps/:app/config/:key?deploy=0         → 202 ConfigChangeResponse
//   POST   /api/apps/:app/config/apply                 → 202 ConfigChangeResponse (roll the stored config out now)
// A change is stored first; then, unless `deploy: false`, the live release is rolled out again with it as a new release
// (a run of source `config`, health-gated). If that rollout fails, the previous release keeps serving with its old
// config, and the change stays stored: it goes out with the next deploy.

import type { Run } from './types.js';

export interface ConfigItem {
  readonly name: string;
  readonly secret: boolean;
  /** null for a secret: its value is write-only. */
  readonly value: string | null;
  readonly updatedAt: string;
}

export interface ConfigResponse {
  readonly config: ConfigItem[];
}

/** A value to set; `secret` omitted keeps the key's current kind (a new key is plain). */
export interface ConfigValueInput {
  value: string;
  secret?: boolean;
}

export interface ConfigChangeRequest {
  set?: Record<string, ConfigValueInput>;
  unset?: string[];
  /** Default true: roll the live release out with the change now. false stages it for the next deploy. */
  deploy?: boolean;
}

/** A key of a whole config; `value` omitted keeps the stored value (how a client that never saw a secret keeps it). */
export interface ConfigReplaceValue {
  value?: string;
  secret?: boolean;
}

export interface ConfigReplaceRequest {
  config: Record<string, ConfigReplaceValue>;
  deploy?: boolean;
}

/** rolling_out: `run` applies it; staged: deploy false; no_live_release: the first deploy takes it. */
export type ConfigApplied = 'rolling_out' | 'staged' | 'no_live_release';

export interface ConfigChangeResponse {
  readonly config: ConfigItem[];
  readonly applied: ConfigApplied;
  readonly run: Run | null;
}
