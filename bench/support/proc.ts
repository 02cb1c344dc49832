// Finds processes of one Slipway instance through /proc (the e2e harness does not expose the child's pid).

import { readdir, readFile } from 'node:fs/promises';

async function processes(): Promise<Array<{ pid: number; argv: string[] }>> {
  const list: Array<{ pid: number; argv: string[] }> = [];
  for (const name of await readdir('/proc')) {
    if (!/^[0-9]+$/.test(name)) continue;
    const cmdline = await readFile(`/proc/${name}/cmdline`, 'utf8').catch(() => '');
    if (cmdline !== '') list.push({ pid: Number(name), argv: cmdline.split('\0').filter((a) => a !== '') });
  }
  return list;
}

/** The node process running src/cli/entry.ts with SLIPWAY_INSTANCE=<instance> in its environment. */
export async function findSlipwayPid(instance: string): Promise<number | null> {
  for (const p of await processes()) {
    if (!p.argv.some((a) => a.endsWith('src/cli/entry.ts'))) continue;
    const environ = await readFile(`/proc/${p.pid}/environ`, 'utf8').catch(() => '');
    if (environ.split('\0').includes(`SLIPWAY_INSTANCE=${instance}`)) return p.pid;
  }
  return null;
}

/** Pebble processes whose config lies in this instance's data folder (they outlive a SIGKILLed Slipway). */
export async function findPebblePids(dataDir: string): Promise<number[]> {
  return (await processes())
    .filter((p) => (p.argv[0] ?? '').endsWith('pebble') && p.argv.some((a) => a.startsWith(`${dataDir}/`)))
    .map((p) => p.pid);
}

/** Resident set size in MiB, from /proc/<pid>/status (VmRSS, reported in kB). */
export async function rssMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = /^VmRSS:\s+([0-9]+) kB$/m.exec(status)?.[1];
  if (kb === undefined) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return Number(kb) / 1024;
}
