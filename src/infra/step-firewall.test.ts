// The step firewall against a scripted iptables: the chain refreshed only when it differs, one jump first in each
// chain, a missing iptables said rather than fatal. The real rules are tried in test/integration/network-isolation.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { STEP_CHAIN, ensureStepFirewall, firewallWarning, stepChainRules, type Iptables } from './step-firewall.js';

/** A tiny iptables: chains as lists of rule texts, -S/-N/-F/-A/-I/-D/-C as the real one answers them. */
function fakeIptables(initial: Record<string, string[]> = { INPUT: [], 'DOCKER-USER': ['-j RETURN'] }) {
  const chains = new Map(Object.entries(initial).map(([k, v]) => [k, [...v]]));
  const calls: string[] = [];
  const no = (stderr: string) => ({ ok: false, stdout: '', stderr });
  const yes = (stdout = '') => ({ ok: true, stdout, stderr: '' });
  const iptables: Iptables = async (args) => {
    calls.push(args.join(' '));
    const [op, chain = '', ...rest] = args;
    const rules = chains.get(chain);
    if (op === '-N') return rules ? no('Chain already exists.') : (chains.set(chain, []), yes());
    if (rules === undefined) return no(`No chain/target/match by that name.`);
    const text = rest.join(' ');
    switch (op) {
      case '-S': return yes([`-N ${chain}`, ...rules.map((r) => `-A ${chain} ${r}`)].join('\n') + '\n');
      case '-F': rules.length = 0; return yes();
      case '-A': rules.push(text); return yes();
      case '-I': rules.splice(Number(rest[0]) - 1, 0, rest.slice(1).join(' ')); return yes();
      case '-C': return rules.includes(text) ? yes() : no('Bad rule');
      case '-D': return /^\d+$/.test(text) ? (rules.splice(Number(text) - 1, 1), yes()) : no('unsupported');
      default: return no(`unknown ${op}`);
    }
  };
  return { iptables, chains, calls };
}

const JUMP = '-i slwstep+ -j SLIPWAY-STEPS';

describe('step firewall', () => {
  it('installs the chain and one jump first in DOCKER-USER and INPUT', async () => {
    const f = fakeIptables();
    assert.deepEqual(await ensureStepFirewall(f.iptables), { installed: true, problem: null });
    assert.deepEqual(f.chains.get(STEP_CHAIN), stepChainRules().map((r) => r.join(' ')));
    assert.deepEqual(f.chains.get('DOCKER-USER'), [JUMP, '-j RETURN']);
    assert.deepEqual(f.chains.get('INPUT'), [JUMP]);
    assert.ok(stepChainRules().some((r) => r.includes('169.254.0.0/16') && r.at(-1) === 'DROP'), 'metadata dropped');
    assert.ok(stepChainRules().some((r) => r.includes('LOCAL') && r.at(-1) === 'DROP'), 'host addresses dropped');
  });

  it('is idempotent: a second start changes nothing and flushes nothing', async () => {
    const f = fakeIptables();
    await ensureStepFirewall(f.iptables);
    f.calls.length = 0;
    await ensureStepFirewall(f.iptables);
    assert.deepEqual(f.calls.filter((c) => !c.startsWith('-S')), []);
    assert.deepEqual(f.chains.get('DOCKER-USER'), [JUMP, '-j RETURN']);
  });

  it('refreshes rules an older Slipway left, and keeps exactly one jump, first, when copies or a late one exist', async () => {
    const f = fakeIptables({ [STEP_CHAIN]: ['-d 10.0.0.0/8 -j DROP'], INPUT: ['-j ACCEPT', JUMP, JUMP], 'DOCKER-USER': ['-j RETURN', JUMP] });
    assert.equal((await ensureStepFirewall(f.iptables)).installed, true);
    assert.deepEqual(f.chains.get(STEP_CHAIN), stepChainRules().map((r) => r.join(' ')));
    assert.deepEqual(f.chains.get('INPUT'), [JUMP, '-j ACCEPT']);
    assert.deepEqual(f.chains.get('DOCKER-USER'), [JUMP, '-j RETURN']);
  });

  it('without DOCKER-USER (dockerd --iptables=false) or without iptables: not installed, and said why', async () => {
    const f = fakeIptables({ INPUT: [] });
    const r = await ensureStepFirewall(f.iptables);
    assert.equal(r.installed, false);
    assert.match(r.problem ?? '', /DOCKER-USER.*--iptables=false/);
    const missing = await ensureStepFirewall(async () => { throw Object.assign(new Error('spawn iptables ENOENT'), { code: 'ENOENT' }); });
    assert.deepEqual(missing, { installed: false, problem: 'iptables is not installed (apt-get install iptables)' });
    assert.match(firewallWarning(missing) ?? '', /can reach this host's addresses and cloud metadata/);
    assert.equal(firewallWarning({ installed: true, problem: null }), null);
  });
});
