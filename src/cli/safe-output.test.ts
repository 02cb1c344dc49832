// Control characters from the server, a file or a name are printed escaped (issue 12); colours and line ends are kept.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { main } from './main.js';
import { escapeControls, SafeOutput } from './safe-output.js';
import { fail, json, startFakeApi, text, type FakeApi } from './testing/fake-api.js';
import { Capture, apiIO } from './testing/test-io.js';

const TITLE = '\u001b]0;pwned\u0007'; // OSC: retitles the terminal
const CLIPBOARD = '\u001b]52;c;ZWNobyBoaQ==\u0007'; // OSC 52: writes the clipboard
const CLEAR = '\u001b[2J\u001b[H'; // clears the screen

describe('escapeControls', () => {
  it('escapes C0, C1, DEL and ESC; keeps \\n, \\t, \\r\\n and SGR colours', () => {
    assert.equal(escapeControls(`a${TITLE}b`), 'a\\x1b]0;pwned\\x07b');
    assert.equal(escapeControls(CLEAR), '\\x1b[2J\\x1b[H');
    assert.equal(escapeControls('ok\r fake\u009b2J\u007f\u0000'), 'ok\\x0d fake\\x9b2J\\x7f\\x00');
    assert.equal(escapeControls('line\r\n\tindented\n'), 'line\r\n\tindented\n');
    assert.equal(escapeControls('\u001b[1;31mred\u001b[0m'), '\u001b[1;31mred\u001b[0m');
    assert.equal(escapeControls('plain ünïcode ✓'), 'plain ünïcode ✓');
  });
});

describe('SafeOutput', () => {
  it('joins a sequence split over two writes before deciding, and flushes a cut-off end escaped', () => {
    const out = new Capture();
    const safe = new SafeOutput(out);
    safe.write('a\u001b[3');
    safe.write('1mred\u001b');
    safe.write(']0;x\u0007 b\r');
    safe.write('\nc\u001b[');
    assert.equal(out.text, 'a\u001b[31mred\\x1b]0;x\\x07 b\r\nc');
    safe.flush();
    assert.equal(out.text, 'a\u001b[31mred\\x1b]0;x\\x07 b\r\nc\\x1b[');
  });
});

describe('slipway prints what the server sends with its control characters escaped', () => {
  let api: FakeApi;
  before(async () => {
    api = await startFakeApi({
      'GET /api/apps': json({
        apps: [{ name: `evil${TITLE}`, url: `https://x${CLIPBOARD}`, liveRelease: null, replicas: 1, branch: 'main' }],
      }),
      'GET /api/apps/hello/logs': text(`listening${CLEAR}\n`, '\u001b[32mGET / 200\u001b[0m\r\n'),
      'DELETE /api/apps/hello': fail('conflict', `busy${TITLE}`, `wait${CLEAR}`),
    });
  });
  after(() => api.close());

  it('in tables', async () => {
    const io = await apiIO(api);
    assert.equal(await main(['apps', 'list'], io), 0, io.stderr.text);
    assert.ok(!io.stdout.text.includes('\u001b') && !io.stdout.text.includes('\u0007'), JSON.stringify(io.stdout.text));
    assert.match(io.stdout.text, /evil\\x1b\]0;pwned\\x07/);
    assert.match(io.stdout.text, /https:\/\/x\\x1b\]52;c;ZWNobyBoaQ==\\x07/);
  });

  it('in a streamed log, keeping its colours and line ends', async () => {
    const io = await apiIO(api);
    assert.equal(await main(['logs', 'hello'], io), 0, io.stderr.text);
    assert.equal(io.stdout.text, 'listening\\x1b[2J\\x1b[H\n\u001b[32mGET / 200\u001b[0m\r\n');
  });

  it('in error messages and hints', async () => {
    const io = await apiIO(api);
    assert.equal(await main(['apps', 'delete', 'hello'], io), 5);
    assert.equal(io.stderr.text, 'error: busy\\x1b]0;pwned\\x07\nhint: wait\\x1b[2J\\x1b[H\n');
  });
});
