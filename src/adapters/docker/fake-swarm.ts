// The Swarm inside FakeEngine: services, slots and tasks moving one step per poll along their image's script.
//
// Swarm's rules it keeps (test/integration/engine.conformance.ts checks them against dockerd):
// - only a new task template (image, command, env, labels, health check, networks, mounts, configs, secrets,
//   resources, placement …) starts tasks; replicas add or remove slots; a global service has one slot per node;
// - start-first: an old task keeps running until its slot's new task runs, and shows running one poll longer;
// - putting back a template whose task still runs keeps that task. (dockerd usually does the same; when a
//   crash-looping task restarts around the update it may start a fresh one instead; the suite allows both.)
// - a failed task is replaced at once (restart policy any); a new task failing during an update pauses the
//   update (failure_action pause); at most 5 tasks per slot are remembered.

import { createHash } from 'node:crypto';
import type { ServiceDefinition, ServiceState, TaskProgress } from '../../core/ports/engine.js';
import type { TaskState } from '../../core/types.js';
import { templateKey, toServiceSpec } from './convert.js';

export type ImageBehaviour = 'healthy' | 'crash' | 'unhealthy' | 'exits' | 'hang' | 'build-fails';

interface FakeTask {
  readonly id: string;
  readonly slot: number;
  readonly image: string;
  /** What the service was deployed with when this task was made (a script may look at more than the image). */
  readonly definition: ServiceDefinition;
  readonly template: string;
  readonly createdAt: string;
  state: string;
  desiredState: string;
  message: string;
  error: string | null;
  updatedAt: string;
  polls: number;
  started: boolean;
}

interface FakeService {
  readonly id: string;
  definition: ServiceDefinition;
  version: number;
  updateState: string | null;
  updateMessage: string | null;
  tasks: FakeTask[];
}

const CRASH_ERROR = 'task: non-zero exit (1)';
const UNHEALTHY_ERROR = 'task: non-zero exit (137): dockerexec: unhealthy container';
const TERMINAL = new Set(['failed', 'rejected', 'shutdown', 'complete', 'orphaned', 'remove']);
const HISTORY_PER_SLOT = 5;

export class FakeSwarm {
  readonly #services = new Map<string, FakeService>();
  #ids = 0;
  #lastCreated = 0;

  constructor(
    private readonly behaviourOf: (image: string, definition: ServiceDefinition) => ImageBehaviour,
    /** Polls that see a new task before it runs or fails; 0 = at once. */
    private readonly pollsToRun: number,
    /** Nodes a global service puts a task on. */
    private readonly nodes = 1,
  ) {}

  has(name: string): boolean {
    return this.#services.has(name);
  }

  definitionOf(name: string): ServiceDefinition | null {
    return this.#services.get(name)?.definition ?? null;
  }

  definitions(): ServiceDefinition[] {
    return [...this.#services.values()].map((s) => s.definition);
  }

  isPaused(name: string): boolean {
    const state = this.#services.get(name)?.updateState;
    return state === 'paused' || state === 'rollback_paused';
  }

  /** Creates the service or replaces its definition (an update), then lets the orchestrator act. */
  apply(definition: ServiceDefinition): void {
    const current = this.#services.get(definition.serviceName);
    if (current) {
      current.definition = definition;
      current.version++;
      current.updateState = 'updating';
      current.updateMessage = 'update in progress';
    }
    const service = current ?? { id: this.#newId('service'), definition, version: 1, updateState: null, updateMessage: null, tasks: [] };
    this.#services.set(definition.serviceName, service);
    this.#reconcile(service);
  }

  remove(name: string): void {
    this.#services.delete(name);
  }

  pause(name: string, message: string): void {
    const service = this.#services.get(name);
    if (!service) throw new Error(`no service ${name}`);
    service.updateState = 'paused';
    service.updateMessage = message;
  }

  state(name: string): ServiceState | null {
    const s = this.#services.get(name);
    if (!s) return null;
    const { image, replicas } = s.definition;
    return { id: s.id, version: s.version, image, replicas, updateState: s.updateState, updateMessage: s.updateMessage };
  }

  /** The tasks, newest first. */
  tasks(name: string): TaskState[] {
    return [...(this.#services.get(name)?.tasks ?? [])].reverse().map(toTaskState);
  }

  /** The tasks, newest first, each marked whether it runs the current template. */
  progress(name: string): TaskProgress[] {
    const service = this.#services.get(name);
    if (!service) return [];
    const template = templateOf(service.definition);
    return [...service.tasks].reverse().map((t) => ({ ...toTaskState(t), current: t.template === template }));
  }

  /** Images of the tasks whose process ran, oldest first (each printed its image's lines). */
  startedImages(name: string): string[] {
    return (this.#services.get(name)?.tasks ?? []).filter((t) => t.started).map((t) => t.image);
  }

  /** One poll's worth of time. */
  poll(name: string): void {
    const service = this.#services.get(name);
    if (!service) return;
    this.#advance(service);
    this.#reconcile(service);
    this.#forget(service);
  }

  /** The orchestrator: one desired task per slot on the current template, start-first. */
  #reconcile(service: FakeService): void {
    const template = templateOf(service.definition);
    const slots = new Set(service.tasks.map((t) => t.slot));
    const replicas = this.#wanted(service.definition);
    for (let slot = 1; slot <= replicas; slot++) slots.add(slot);
    for (const slot of slots) {
      const wanted = slot <= replicas;
      const desired = service.tasks.filter((t) => t.slot === slot && t.desiredState === 'running');
      const current = wanted ? desired.find((t) => t.template === template && t.state !== 'failed') : undefined;
      for (const t of desired) {
        // start-first: the others stop once the slot's current task runs.
        if (t !== current && (!wanted || t.state !== 'running' || current?.state === 'running')) t.desiredState = 'shutdown';
      }
      if (wanted && !current) service.tasks.push(this.#newTask(service, slot, template));
    }
  }

  #wanted(def: ServiceDefinition): number {
    return def.mode === 'global' ? this.nodes : def.replicas;
  }

  /** Tasks move one step along their image's script; stopping ones stop. */
  #advance(service: FakeService): void {
    const now = new Date().toISOString();
    for (const t of service.tasks) {
      const before = `${t.state}/${t.desiredState}`;
      if (t.desiredState !== 'running') {
        if (!TERMINAL.has(t.state)) setState(t, 'shutdown', 'shutdown');
      } else if (!TERMINAL.has(t.state)) {
        this.#step(t, service);
      }
      if (`${t.state}/${t.desiredState}` !== before) t.updatedAt = now;
    }
    const template = templateOf(service.definition);
    const live = service.tasks.filter((t) => t.template === template && t.state === 'running' && t.desiredState === 'running');
    const others = service.tasks.filter((t) => t.state === 'running' && !live.includes(t));
    if (service.updateState === 'updating' && live.length >= this.#wanted(service.definition) && others.length === 0) {
      service.updateState = 'completed';
      service.updateMessage = 'update completed';
    }
  }

  #step(t: FakeTask, service: FakeService): void {
    const behaviour = this.behaviourOf(t.image, t.definition);
    const stage = t.polls++;
    if (behaviour === 'build-fails') return setState(t, 'rejected', 'preparing', `No such image: ${t.image}`);
    if (stage < this.pollsToRun || behaviour === 'hang') {
      return setState(t, stage === 0 ? 'pending' : 'starting', stage === 0 ? 'pending task scheduling' : 'starting');
    }
    t.started = true;
    if (behaviour === 'healthy') return setState(t, 'running', 'started');
    // A process that ends with exit code 0 (also one that exits on SIGTERM when Swarm stops it as unhealthy).
    if (behaviour === 'exits') setState(t, 'complete', 'finished');
    else setState(t, 'failed', 'started', behaviour === 'crash' ? CRASH_ERROR : UNHEALTHY_ERROR);
    // "failure or early termination": an update pauses on a task that ended either way.
    if (service.updateState === 'updating' && t.template === templateOf(service.definition)) {
      service.updateState = 'paused';
      service.updateMessage = `update paused due to failure or early termination of task ${t.id}`;
    }
  }

  /** Swarm's task history retention: the newest 5 tasks per slot. */
  #forget(service: FakeService): void {
    const kept: FakeTask[] = [];
    for (const t of [...service.tasks].reverse()) {
      const sameSlot = kept.filter((k) => k.slot === t.slot).length;
      if (sameSlot < HISTORY_PER_SLOT || !TERMINAL.has(t.state)) kept.push(t);
    }
    service.tasks = kept.reverse();
  }

  #newTask(service: FakeService, slot: number, template: string): FakeTask {
    // Strictly increasing creation times, so "newest first" is well defined even within one millisecond.
    this.#lastCreated = Math.max(Date.now(), this.#lastCreated + 1);
    const createdAt = new Date(this.#lastCreated).toISOString();
    const task: FakeTask = {
      id: this.#newId('task'), slot, image: service.definition.image, definition: service.definition, template, createdAt,
      state: 'new', desiredState: 'running', message: 'created', error: null, updatedAt: createdAt, polls: 0, started: false,
    };
    if (this.pollsToRun === 0) this.#step(task, service);
    return task;
  }

  #newId(kind: string): string {
    return createHash('sha256').update(`${kind}-${++this.#ids}`).digest('hex').slice(0, 25);
  }
}

/** As dockerd tells tasks apart: the task template's key (mounts, configs, networks, resources … all count). */
function templateOf(def: ServiceDefinition): string {
  return templateKey(toServiceSpec(def).TaskTemplate);
}

function setState(t: FakeTask, state: string, message: string, error: string | null = null): void {
  t.state = state;
  t.message = message;
  t.error = error;
  if (state === 'failed' || state === 'rejected' || state === 'complete') t.desiredState = 'shutdown';
}

function toTaskState(t: FakeTask): TaskState {
  return {
    id: t.id, image: t.image, state: t.state, desiredState: t.desiredState, message: t.message, error: t.error,
    node: 'fakenode0000000000000000', createdAt: t.createdAt, updatedAt: t.updatedAt,
  };
}
