// Installs the firewall of pipeline step networks at start: packets from a step bridge to cloud metadata
// (169.254.0.0/16) or to any of the host's own addresses are dropped. iptables through argv only; idempotent.
//
// Where the rules go: DOCKER-USER is hooked into FORWARD, which sees packets the host routes onwards (metadata, which
// leaves through the default route). A packet to an address of the host itself (a bridge gateway, eth0's address)
// is delivered locally and passes INPUT, never FORWARD, so the same chain is also jumped to from INPUT. Both jumps
// match only step bridges (`-i slwstep+`, adapters/docker/step-names.ts), so apps, the edge and the registry are
// untouched. Replies to connections the host opened stay allowed (conntrack ESTABLISHED).

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { STEP_BRIDGE_PREFIX } from '../adapters/docker/step-names.js';

const run = promisify(execFile);

/** One chain for every Slipway on this host: the policy is the same, and step bridges share one prefix. */
export const STEP_CHAIN = 'SLIPWAY-STEPS';

/** The rules of the chain, in order (argv after `-A SLIPWAY-STEPS`). */
export function stepChainRules(): string[][] {
  return [
    ['-m', 'conntrack', '--ctstate', 'RELATED,ESTABLISHED', '-j', 'RETURN'],
    ['-d', '169.254.0.0/16', '-j', 'DROP'],
    ['-m', 'addrtype', '--dst-type', 'LOCAL', '-j', 'DROP'],
    ['-j', 'RETURN'],
  ];
}

/** The jumps into the chain: from FORWARD's DOCKER-USER and from INPUT, for step bridges only. */
export function stepJumps(): Array<{ chain: string; rule: string[] }> {
  const rule = ['-i', `${STEP_BRIDGE_PREFIX}+`, '-j', STEP_CHAIN];
  return [{ chain: 'DOCKER-USER', rule }, { chain: 'INPUT', rule }];
}

export type Iptables = (args: readonly string[]) => Promise<{ ok: boolean; stdout: string; stderr: string }>;

/** The iptables binary on PATH (`-w`: wait for the xtables lock dockerd also takes). */
export const systemIptables: Iptables = async (args) => {
  try {
    const { stdout } = await run('iptables', ['-w', ...args], { timeout: 30_000 });
    return { ok: true, stdout, stderr: '' };
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT') throw e;
    return { ok: false, stdout: '', stderr: String(e.stderr ?? e.message).trim() };
  }
};

export interface StepFirewall {
  readonly installed: boolean;
  /** Why not, said to the operator at start. */
  readonly problem: string | null;
}

/**
 * Refreshes the chain (flushed and filled again, so rules from an older Slipway go) and makes sure each jump is there
 * exactly once, first in its chain. Without iptables (or without the right to use it) steps run unprotected: that is
 * returned, and said at start, rather than refusing to start.
 */
export async function ensureStepFirewall(iptables: Iptables = systemIptables): Promise<StepFirewall> {
  try {
    const fail = (what: string, r: { stderr: string }) => ({ installed: false, problem: `${what}: ${r.stderr}` });
    const wanted = [`-N ${STEP_CHAIN}`, ...stepChainRules().map((r) => `-A ${STEP_CHAIN} ${r.join(' ')}`)];
    const current = await iptables(['-S', STEP_CHAIN]);
    // Refilled only when it differs (an older Slipway's rules): a flush leaves steps unguarded for a moment.
    if (!current.ok || lines(current.stdout).join('\n') !== wanted.join('\n')) {
      if (!current.ok) {
        const made = await iptables(['-N', STEP_CHAIN]);
        if (!made.ok) return fail(`creating chain ${STEP_CHAIN}`, made);
      }
      const flushed = await iptables(['-F', STEP_CHAIN]);
      if (!flushed.ok) return fail(`flushing chain ${STEP_CHAIN}`, flushed);
      for (const rule of stepChainRules()) {
        const added = await iptables(['-A', STEP_CHAIN, ...rule]);
        if (!added.ok) return fail(`adding ${rule.join(' ')}`, added);
      }
    }
    for (const { chain, rule } of stepJumps()) {
      const listed = await iptables(['-S', chain]);
      if (!listed.ok) {
        return fail(`reading chain ${chain}`, {
          stderr: `${listed.stderr}${chain === 'DOCKER-USER' ? ' (dockerd makes DOCKER-USER unless it runs with --iptables=false)' : ''}`,
        });
      }
      const text = `-A ${chain} ${rule.join(' ')}`;
      const at = lines(listed.stdout).filter((l) => l.startsWith('-A ')).flatMap((l, i) => (l === text ? [i + 1] : []));
      if (at.length === 1 && at[0] === 1) continue;
      // First the jump at the top, then the older copies (each one further down by the insert), bottom first.
      const inserted = await iptables(['-I', chain, '1', ...rule]);
      if (!inserted.ok) return fail(`inserting the jump into ${chain}`, inserted);
      for (const n of at.reverse()) {
        const removed = await iptables(['-D', chain, String(n + 1)]);
        if (!removed.ok) return fail(`removing an older jump from ${chain}`, removed);
      }
    }
    return { installed: true, problem: null };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      return { installed: false, problem: 'iptables is not installed (apt-get install iptables)' };
    }
    throw err;
  }
}

function lines(text: string): string[] {
  return text.split('\n').map((l) => l.trim()).filter((l) => l !== '');
}

/** What the operator reads at start when the firewall could not be installed. */
export function firewallWarning(f: StepFirewall): string | null {
  if (f.installed) return null;
  return `step firewall not installed: ${f.problem}. Pipeline steps can reach this host's addresses and cloud metadata ` +
    `(169.254.169.254); run Slipway as root with iptables to close that`;
}
