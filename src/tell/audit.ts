// Subscriber: records what happened to releases in the audit log, and prints one line per event for operators.

import type { EventBus } from '../core/events.js';
import type { Store } from '../core/ports/store.js';

export function subscribeAudit(bus: EventBus, store: Store, print: (line: string) => void): () => void {
  const record = (type: string, app: string | null, data: unknown) => {
    void store.recordEvent(type, app, data).catch((err: unknown) => print(`could not record ${type}: ${String(err)}`));
  };
  const offs = [
    bus.on('release.deployed', (e) => {
      record('release.deployed', e.app, e);
      print(`${e.app}: release v${e.release} live`);
    }),
    bus.on('rollout.failed', (e) => {
      record('rollout.failed', e.app, e);
      print(`${e.app}: release v${e.release} failed: ${e.reason}`);
    }),
    bus.on('release.rolled_back', (e) => {
      record('release.rolled_back', e.app, e);
      print(`${e.app}: rolled back from v${e.from ?? '-'} to v${e.to}`);
    }),
    bus.on('run.started', (e) => print(`${e.app}: run ${e.runId} started`)),
    bus.on('run.finished', (e) => print(`${e.app}: run ${e.runId} ${e.status}${e.error ? `: ${e.error.message}` : ''}`)),
  ];
  return () => offs.forEach((off) => off());
}
