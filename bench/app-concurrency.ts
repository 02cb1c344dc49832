// Benchmark: what an app's run concurrency buys. RUNS manual runs of one app are queued at once; each runs one
// busybox step that sleeps SLEEP_S seconds (no build, push or deploy). Measured against the same burst at
// concurrency 1 in the same Slipway: the time from queueing the burst to its last run ending, and how long runs
// waited in the queue. 2 repetitions per setting in alternating order; medians. Prints figures; asserts no times.
//
//   cd /work/main && node --import tsx bench/app-concurrency.ts
//
// Bounded (hard stop after 6 minutes); removes what it creates, also when it fails.

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { api, waitForRunEnd } from '../test/e2e/support/api.js';
import { gitInit, removeSources, sampleSource } from '../test/e2e/support/app-source.js';
import { startTestSlipway, type TestSlipway } from '../test/e2e/support/slipway-process.js';
import { createApp, pushApp } from './support/app.js';
import { destroySlipway, Problems } from './support/cleanup.js';
import { log } from './support/lifecycle.js';
import { median, ratio, seconds } from './support/stats.js';

const APP = 'concbench';
const RUNS = 3;
const SLEEP_S = 4;
const REPS = 2;
const HARD_LIMIT_MS = 6 * 60_000;

type RunBody = { run: { id: number; createdAt: string; startedAt: string | null; finishedAt: string | null; status: string } };

/** Queues RUNS manual runs at once; the wall time until the last ends, and each run's wait before it started. */
async function burst(slipway: TestSlipway): Promise<{ wallMs: number; waitsMs: number[] }> {
  const started = Date.now();
  const queued = await Promise.all(Array.from({ length: RUNS }, () => api<RunBody>(slipway, 'POST', `/api/apps/${APP}/runs`, {})));
  const ids = queued.map((q) => {
    if (q.status !== 202) throw new Error(`queueing a run failed: HTTP ${q.status} ${JSON.stringify(q.json)}`);
    return q.json.run.id;
  });
  for (const id of ids) {
    const end = await waitForRunEnd(slipway, id, 120_000);
    if (end.status !== 'succeeded') throw new Error(`run ${id} ${end.status}: ${JSON.stringify(end.error)}`);
  }
  const runs = await Promise.all(ids.map(async (id) => (await api<RunBody>(slipway, 'GET', `/api/runs/${id}`)).json.run));
  const lastEnd = Math.max(...runs.map((r) => Date.parse(r.finishedAt ?? '')));
  return { wallMs: lastEnd - started, waitsMs: runs.map((r) => Date.parse(r.startedAt ?? '') - Date.parse(r.createdAt)) };
}

async function main(): Promise<void> {
  const problems = new Problems();
  // Capacity above the app's concurrency, so the server's cap (cores) is not what is measured.
  const slipway = await startTestSlipway({ maxRuns: RUNS + 1 });
  const timer = setTimeout(() => {
    log(`hard limit of ${HARD_LIMIT_MS / 60_000} min reached; cleaning up`);
    void destroySlipway(slipway, problems).finally(() => process.exit(2));
  }, HARD_LIMIT_MS);
  try {
    await createApp(slipway, APP, 'concbench.slipway.test');
    const dir = await sampleSource('conc');
    await writeFile(join(dir, '.slipway.yml'), `steps:\n  - name: work\n    image: busybox:latest\n    commands: [sleep ${SLEEP_S}]\n`);
    await gitInit(dir);
    const push = await pushApp(slipway, APP, dir, 120_000);
    if (push.code !== 0) throw new Error(`git push failed:\n${push.output}`);

    const results = new Map<number, Array<{ wallMs: number; waitsMs: number[] }>>([[1, []], [RUNS, []]]);
    for (let rep = 0; rep < REPS; rep++) {
      for (const concurrency of rep % 2 === 0 ? [1, RUNS] : [RUNS, 1]) {
        const patched = await api(slipway, 'PATCH', `/api/apps/${APP}`, { concurrency });
        if (patched.status !== 200) throw new Error(`setting concurrency failed: HTTP ${patched.status}`);
        const r = await burst(slipway);
        log(`rep ${rep + 1}, concurrency ${concurrency}: burst of ${RUNS} done in ${seconds(r.wallMs)}, waits ${r.waitsMs.map((w) => seconds(w)).join(' / ')}`);
        results.get(concurrency)!.push(r);
      }
    }
    const wall = (c: number) => median(results.get(c)!.map((r) => r.wallMs));
    const maxWait = (c: number) => median(results.get(c)!.map((r) => Math.max(...r.waitsMs)));
    console.log('');
    console.log(`app concurrency: a burst of ${RUNS} runs of one ${SLEEP_S} s step, medians of ${REPS}`);
    console.log(`  burst done, concurrency 1:        ${seconds(wall(1))}`);
    console.log(`  burst done, concurrency ${RUNS}:        ${seconds(wall(RUNS))}  (${ratio(wall(1), wall(RUNS))} faster)`);
    console.log(`  longest queue wait, concurrency 1: ${seconds(maxWait(1))}`);
    console.log(`  longest queue wait, concurrency ${RUNS}: ${seconds(maxWait(RUNS))}`);
  } finally {
    clearTimeout(timer);
    await destroySlipway(slipway, problems);
    await problems.attempt('removing the sample sources', () => removeSources());
    for (const p of problems.list) log(`cleanup problem: ${p}`);
  }
}

main().then(() => process.exit(0), (err: unknown) => {
  console.error(`bench: failed: ${(err as Error).stack ?? String(err)}`);
  process.exit(1);
});
