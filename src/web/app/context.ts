// What the views share: the API client, the page's state, and the few actions one view asks of another.

import type { AppSummary } from '../../core/api.js';
import type { ApiClient } from '../client/api-client.js';

export interface DashboardState {
  token: string | null;
  apps: AppSummary[];
  /** The app shown in the detail pane. */
  selected: string | null;
  /** The run whose log is shown. */
  runId: number | null;
  /** Aborts the log stream being followed (and its step polling). */
  logAbort: AbortController | null;
  /** Guards against a slow answer for an app the user has already left. */
  detailSeq: number;
}

export interface Dashboard {
  readonly api: ApiClient;
  readonly state: DashboardState;
  /** Reloads the selected app's status, releases and runs. */
  refreshDetail(): Promise<void>;
  /** Reloads the app list. */
  reloadApps(): Promise<void>;
  /** Navigates to a `#/apps/…` hash (see format.ts appHash). */
  go(hash: string): void;
}
