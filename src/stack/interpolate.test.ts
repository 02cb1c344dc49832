import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { interpolate } from './interpolate.js';

const vars = { SLIPWAY_IMAGE: 'reg/apps/web@sha256:abc', SLIPWAY_APP: 'web', EMPTY: '', NOIMG: { missing: 'no push in this run' } };
const value = (text: string) => {
  const r = interpolate(text, vars);
  assert.ok('value' in r, JSON.stringify(r));
  return r.value;
};
const error = (text: string) => {
  const r = interpolate(text, vars);
  assert.ok('error' in r, JSON.stringify(r));
  return r.error;
};

describe('compose interpolation', () => {
  it('replaces $VAR and ${VAR}, and $$ is a literal $', () => {
    assert.equal(value('${SLIPWAY_IMAGE}'), 'reg/apps/web@sha256:abc');
    assert.equal(value('app=$SLIPWAY_APP!'), 'app=web!');
    assert.equal(value('echo $$HOME and $${X}'), 'echo $HOME and ${X}');
    assert.equal(value('no variables'), 'no variables');
  });

  it('defaults, alternatives and required values, with and without ":"', () => {
    assert.equal(value('${UNSET:-fallback}'), 'fallback');
    assert.equal(value('${EMPTY:-fallback}'), 'fallback');
    assert.equal(value('${EMPTY-fallback}'), '');
    assert.equal(value('${UNSET:-${SLIPWAY_APP}-x}'), 'web-x');
    assert.equal(value('${SLIPWAY_APP:+set}'), 'set');
    assert.equal(value('${UNSET:+set}'), '');
    assert.equal(error('${UNSET:?give UNSET}'), 'UNSET: give UNSET');
  });

  it('an unknown variable is an error naming the ones Slipway sets, never an empty string', () => {
    assert.match(error('$PATH:/x'), /variable PATH is not set: Slipway sets only SLIPWAY_IMAGE, SLIPWAY_APP.*write \$\$PATH/);
    assert.match(error('${NOIMG}'), /NOIMG has no value here: no push in this run/);
  });

  it('the forms without ":" test set-ness only; inside a default a bare "$" is literal (bcrypt hashes in Traefik labels)', () => {
    assert.equal(value('${EMPTY-x}${EMPTY+y}${UNSET+y}'), 'y');
    assert.equal(error('${UNSET?needs UNSET}'), 'UNSET: needs UNSET');
    assert.equal(value('${EMPTY?unused}'), '');
    assert.equal(value('${UNSET:-admin:$2y$05$abc/def}'), 'admin:$2y$05$abc/def');
    assert.equal(value('${UNSET:-${SLIPWAY_APP}$x}'), 'web$x');
  });

  it('malformed templates are errors', () => {
    assert.match(error('${SLIPWAY_APP'), /without a closing/);
    assert.match(error('cost: $5'), /write \$\$ for a literal \$/);
    assert.match(error('${1abc}'), /invalid variable/);
    assert.match(error('${SLIPWAY_APP#x}'), /invalid variable/);
  });
});
