// The in-memory Store's pipeline parts: run details, run steps with their logs, and sealed app secrets.

import { PRUNED_LOG_NOTE, type NewRun, type RunDetails, type RunStep, type Store } from '../../core/ports/store.js';
import {
  checkSealed, checkSecretName, checkUniqueSteps, defaultEvent, notFound, secretNotFound, stepNotFound, toJsonText,
} from './checks.js';

type PipelineMethods = Pick<
  Store,
  | 'getRunDetails' | 'updateRunDetails'
  | 'saveRunSteps' | 'updateRunStep' | 'listRunSteps' | 'appendStepLog' | 'readStepLog'
  | 'setSecret' | 'listSecretNames' | 'getSealedSecrets' | 'deleteSecret'
>;

export interface MemoryPipelineDeps {
  now(): string;
  hasRun(id: number): boolean;
  hasApp(name: string): boolean;
}

export interface MemoryPipelines {
  readonly methods: PipelineMethods;
  /** createRun calls this before it stores a run: refuses a restartOf that names no run. */
  checkNewRun(run: NewRun): void;
  /** createRun calls this after it stored run `id`. */
  addRun(id: number, run: NewRun): void;
  /** pruneRunLogs calls this for each run it prunes: the steps' logs go, the steps stay. */
  pruneLogs(runId: number): void;
  /** deleteApp calls this: secrets go with their app. */
  deleteApp(name: string): void;
}

interface StoredSecret {
  readonly sealed: string;
  readonly updatedAt: string;
}

interface StoredStep {
  step: RunStep;
  readonly log: string[];
}

/** What SQLite would hand back after storing `value` as JSON text. */
const viaJson = (value: unknown, what: string): unknown => JSON.parse(toJsonText(value, what));
const copy = <T>(value: T): T => structuredClone(value);

// Like the rest of the fake: synchronous bodies make each call atomic; values are copied in and out.
export function createMemoryPipelines({ now, hasRun, hasApp }: MemoryPipelineDeps): MemoryPipelines {
  const details = new Map<number, RunDetails>();
  const steps = new Map<number, StoredStep[]>();
  const pruned = new Set<number>();
  const secrets = new Map<string, Map<string, StoredSecret>>();
  const secretsOf = (app: string): [string, StoredSecret][] =>
    [...(secrets.get(app)?.entries() ?? [])].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

  const findStep = (runId: number, pipeline: string, name: string): StoredStep | undefined =>
    steps.get(runId)?.find((s) => s.step.pipeline === pipeline && s.step.name === name);

  const methods: PipelineMethods = {
    async getRunDetails(id) {
      const found = details.get(id);
      return found === undefined ? null : copy(found);
    },
    async updateRunDetails(id, patch) {
      const found = details.get(id);
      if (found === undefined) throw notFound(`run ${id}`, 'runId');
      const updated: RunDetails = {
        ...found,
        ...(patch.workspace !== undefined && { workspace: patch.workspace }),
        ...(patch.plan !== undefined && { plan: viaJson(patch.plan, 'plan') }),
        ...(patch.cancelRequested !== undefined && { cancelRequested: patch.cancelRequested }),
        ...(patch.resumes !== undefined && { resumes: patch.resumes }),
      };
      details.set(id, updated);
      return copy(updated);
    },

    async saveRunSteps(runId, list) {
      checkUniqueSteps(list);
      if (!hasRun(runId)) throw notFound(`run ${runId}`, 'runId');
      steps.set(runId, list.map((s, position) => ({
        step: {
          runId, pipeline: s.pipeline, name: s.name, position, status: s.status, skipReason: s.skipReason,
          exitCode: null, error: null, startedAt: null, finishedAt: null,
        },
        log: [],
      })));
    },
    async updateRunStep(runId, pipeline, name, patch) {
      const found = findStep(runId, pipeline, name);
      if (found === undefined) throw stepNotFound(runId, pipeline, name);
      found.step = {
        ...found.step,
        ...(patch.status !== undefined && { status: patch.status }),
        ...(patch.exitCode !== undefined && { exitCode: patch.exitCode }),
        ...(patch.skipReason !== undefined && { skipReason: patch.skipReason }),
        ...(patch.error !== undefined && { error: patch.error }),
        ...(patch.startedAt !== undefined && { startedAt: patch.startedAt }),
        ...(patch.finishedAt !== undefined && { finishedAt: patch.finishedAt }),
      };
      return copy(found.step);
    },
    async listRunSteps(runId) {
      return (steps.get(runId) ?? []).map((s) => copy(s.step));
    },
    async appendStepLog(runId, pipeline, step, text) {
      const found = findStep(runId, pipeline, step);
      if (found === undefined) throw stepNotFound(runId, pipeline, step);
      found.log.push(text);
    },
    async readStepLog(runId, pipeline, step) {
      const found = findStep(runId, pipeline, step);
      if (found !== undefined && pruned.has(runId)) return PRUNED_LOG_NOTE;
      return (found?.log ?? []).join('');
    },

    async setSecret(app, name, sealed) {
      checkSecretName(name);
      checkSealed(sealed);
      if (!hasApp(app)) throw notFound(`app ${JSON.stringify(app)}`, 'app');
      const ofApp = secrets.get(app) ?? new Map<string, StoredSecret>();
      ofApp.set(name, { sealed, updatedAt: now() });
      secrets.set(app, ofApp);
    },
    async listSecretNames(app) {
      return secretsOf(app).map(([name, s]) => ({ name, updatedAt: s.updatedAt }));
    },
    async getSealedSecrets(app) {
      return Object.fromEntries(secretsOf(app).map(([name, s]) => [name, s.sealed]));
    },
    async deleteSecret(app, name) {
      checkSecretName(name);
      if (secrets.get(app)?.delete(name) !== true) throw secretNotFound(app, name);
    },
  };

  return {
    methods,
    checkNewRun(run) {
      if (run.restartOf != null && !hasRun(run.restartOf)) throw notFound(`run ${run.restartOf}`, 'restartOf');
    },
    addRun(id, run) {
      details.set(id, {
        event: run.event ?? defaultEvent(run.source),
        params: { ...run.params },
        restartOf: run.restartOf ?? null,
        workspace: null,
        plan: null,
        cancelRequested: false,
        cronName: run.cronName ?? null,
        target: run.target ?? null,
        fromFork: run.fromFork === true,
        sourceBranch: run.sourceBranch ?? null,
        resumes: 0,
      });
    },
    pruneLogs(runId) {
      pruned.add(runId);
      for (const s of steps.get(runId) ?? []) s.log.length = 0;
    },
    deleteApp(name) {
      secrets.delete(name);
    },
  };
}
