// The one RegistryPort conformance suite: the fake and the real registry (distribution container) must both pass it.

import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { after, before, it } from 'node:test';
import { SlipwayError, type ErrorKind } from '../../core/errors.js';
import type { RegistryPort } from '../../core/ports/registry.js';
import { Secret } from '../../core/secret.js';

export interface RegistrySubject {
  readonly registry: RegistryPort;
  /** Unique per run, a valid repository component: every repository the suite pushes starts with it. */
  readonly prefix: string;
  /** Pushes a new image (new content on every call) to repository:tag as a run does; the digest the push reported. */
  push(repository: string, tag: string): Promise<string>;
  /** Points tag `to` at the image tag `from` has now (`docker tag` + push); the digest the push reported. */
  retag(repository: string, from: string, to: string): Promise<string>;
  /** The same registry reached with a wrong password. */
  withWrongPassword(): RegistryPort;
  /** A registry at an address where nothing answers. */
  unreachable(): RegistryPort;
  /** Removes whatever the subject made. */
  dispose(): Promise<void>;
}

const SHA256 = /^sha256:[a-f0-9]{64}$/;

/** Registers the suite's node:test tests, in the caller's describe; `open` is called once for all of them. */
export function registryConformance(open: () => Promise<RegistrySubject>): void {
  let s: RegistrySubject;
  const errors: unknown[] = [];
  const repo = (name: string) => `${s.prefix}/${name}`;

  /** assert.rejects matcher: a SlipwayError of this kind (and field); keeps the error for the password check. */
  const slipwayError = (kind: ErrorKind, field?: string) => (err: unknown): boolean => {
    errors.push(err);
    assert.ok(err instanceof SlipwayError, `expected a SlipwayError, got ${inspect(err)}`);
    assert.equal(err.kind, kind, err.message);
    if (field !== undefined) assert.equal(err.field, field, err.message);
    return true;
  };

  before(async () => {
    s = await open();
  });
  after(async () => {
    await s?.dispose();
  });

  it('has a host:port address, and credentials for that same address that never print the password', () => {
    assert.match(s.registry.address, /^[A-Za-z0-9.-]+:\d{1,5}$/, 'no scheme, no path: it prefixes image references');
    const credentials = s.registry.credentials();
    assert.equal(credentials.serveraddress, s.registry.address);
    assert.ok(credentials.username.length > 0);
    assert.ok(credentials.password instanceof Secret);
    assert.ok(credentials.password.reveal().length > 0);
    const shown = [JSON.stringify(credentials), inspect(credentials), String(credentials.password)].join('\n');
    assert.ok(!shown.includes(credentials.password.reveal()), 'password shown');
  });

  it('resolves a pushed tag to the sha256 digest the push reported, the same on every call', async () => {
    const pushed = await s.push(repo('web'), 'v1');
    assert.match(pushed, SHA256);
    assert.equal(await s.registry.resolveDigest(repo('web'), 'v1'), pushed);
    assert.equal(await s.registry.resolveDigest(repo('web'), 'v1'), pushed);
  });

  it('asks the registry on every call: a tag pushed again resolves to the new digest', async () => {
    const first = await s.push(repo('moving'), 'latest');
    assert.equal(await s.registry.resolveDigest(repo('moving'), 'latest'), first);
    const second = await s.push(repo('moving'), 'latest');
    assert.notEqual(second, first);
    assert.equal(await s.registry.resolveDigest(repo('moving'), 'latest'), second);
  });

  it('resolves two tags of one image to one digest', async () => {
    const v2 = await s.push(repo('tags'), 'v2');
    assert.equal(await s.retag(repo('tags'), 'v2', 'stable'), v2);
    assert.equal(await s.registry.resolveDigest(repo('tags'), 'stable'), v2);
    assert.equal(await s.registry.resolveDigest(repo('tags'), 'v2'), v2);
  });

  it('answers not_found (field tag) for an unknown tag and for an unknown repository', async () => {
    await s.push(repo('known'), 'v1');
    await assert.rejects(s.registry.resolveDigest(repo('known'), 'no-such-tag'), slipwayError('not_found', 'tag'));
    await assert.rejects(s.registry.resolveDigest(repo('absent'), 'v1'), slipwayError('not_found', 'tag'));
  });

  it('refuses names outside the reference grammar with invalid_input, naming the field', async () => {
    for (const bad of ['Apps/Web', '../etc', 'apps//web', '-apps', 'apps/web:v1', '']) {
      await assert.rejects(s.registry.resolveDigest(bad, 'v1'), slipwayError('invalid_input', 'repository'), bad);
    }
    for (const bad of ['-v1', '.v1', 'v1/x', 'v 1', 'x'.repeat(129), '']) {
      await assert.rejects(s.registry.resolveDigest(repo('web'), bad), slipwayError('invalid_input', 'tag'), bad);
    }
  });

  it('reports refused credentials as dependency (field credentials)', async () => {
    await s.push(repo('guarded'), 'v1');
    await assert.rejects(s.withWrongPassword().resolveDigest(repo('guarded'), 'v1'), slipwayError('dependency', 'credentials'));
  });

  it('reports an unreachable registry as dependency', async () => {
    await assert.rejects(s.unreachable().resolveDigest(repo('web'), 'v1'), slipwayError('dependency'));
  });

  it('never shows the password in an error', () => {
    const password = s.registry.credentials().password.reveal();
    assert.ok(errors.length >= 10, `only ${errors.length} errors seen`);
    for (const e of errors) {
      const shown = [inspect(e, { depth: 5 }), e instanceof SlipwayError ? JSON.stringify(e.toJSON()) : String(e)].join('\n');
      assert.ok(!shown.includes(password), 'password leaked');
    }
  });
}
