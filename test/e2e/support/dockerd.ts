// Restarts the machine's dockerd the way its owner would: systemd where it runs dockerd, otherwise the process
// scripts/install.sh started (SIGTERM, then started again detached, logging to the same file).

import { execFile, spawn } from 'node:child_process';
import { openSync } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);

async function answers(): Promise<boolean> {
  return run('docker', ['info', '--format', '{{.Swarm.LocalNodeState}}']).then(({ stdout }) => stdout.trim() === 'active', () => false);
}

async function dockerdPid(): Promise<number | null> {
  const { stdout } = await run('pidof', ['dockerd']).catch(() => ({ stdout: '' }));
  const pid = Number(stdout.trim().split(/\s+/)[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

async function underSystemd(): Promise<boolean> {
  return run('systemctl', ['is-active', '--quiet', 'docker']).then(() => true, () => false);
}

/** Stops dockerd, waits `downMs`, starts it again and waits until the Swarm node is active again. */
export async function restartDockerd(downMs = 2000): Promise<void> {
  if (await underSystemd()) {
    await run('systemctl', ['stop', 'docker']);
    await new Promise((r) => setTimeout(r, downMs));
    await run('systemctl', ['start', 'docker']);
  } else {
    const pid = await dockerdPid();
    if (pid === null) throw new Error('no dockerd process to restart');
    process.kill(pid, 'SIGTERM');
    for (let i = 0; i < 120 && (await dockerdPid()) !== null; i++) await new Promise((r) => setTimeout(r, 500));
    await new Promise((r) => setTimeout(r, downMs));
    const log = openSync('/var/log/dockerd.log', 'a');
    spawn('dockerd', [], { detached: true, stdio: ['ignore', log, log] }).unref();
  }
  for (let i = 0; i < 240; i++) {
    if (await answers()) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error('dockerd did not come back with an active Swarm node within 120 s');
}
