// The dashboard's calls to the stacks API (issue 13), over the dashboard's API client (token, errors, sign-out).

import type { RunResponse, StackDiffResponse, StackReleaseSummary, StackReleasesResponse, StackRollbackRequest, StackServiceStatus, StackServicesResponse, StackSummaryItem, StacksResponse } from '../../core/api.js';
import type { Run } from '../../core/types.js';
import type { ApiClient } from '../client/api-client.js';

const stacksPath = (app: string) => `/api/apps/${encodeURIComponent(app)}/stacks`;
const stackPath = (app: string, stack: string) => `${stacksPath(app)}/${encodeURIComponent(stack)}`;

export class StacksClient {
  constructor(private readonly api: Pick<ApiClient, 'send'>) {}

  async #get<T>(path: string): Promise<T> {
    return (await (await this.api.send(path)).json()) as T;
  }

  async list(app: string): Promise<StackSummaryItem[]> {
    return (await this.#get<Partial<StacksResponse>>(stacksPath(app))).stacks ?? [];
  }

  async services(app: string, stack: string): Promise<StackServiceStatus[]> {
    return (await this.#get<Partial<StackServicesResponse>>(`${stackPath(app, stack)}/services`)).services ?? [];
  }

  async releases(app: string, stack: string): Promise<StackReleaseSummary[]> {
    return (await this.#get<Partial<StackReleasesResponse>>(`${stackPath(app, stack)}/releases`)).releases ?? [];
  }

  async rollback(app: string, stack: string, release: number): Promise<Run> {
    const body: StackRollbackRequest = { release };
    const res = await this.api.send(`${stackPath(app, stack)}/rollback`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    return ((await res.json()) as RunResponse).run;
  }

  async diff(app: string, stack: string, from: number, to: number): Promise<StackDiffResponse> {
    return this.#get<StackDiffResponse>(`${stackPath(app, stack)}/diff?from=${from}&to=${to}`);
  }
}
