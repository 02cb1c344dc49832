// Cron expressions: every field syntax, names, macros, the day-of-month OR day-of-week rule, next() across
// month/year/leap boundaries, a brute-force check of next() against matches(), and every kind of invalid input.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SlipwayError } from '../core/errors.js';
import { isValidCron, parseCron } from './cron-expr.js';

const at = (iso: string) => new Date(iso);
const next = (expr: string, after: string) => parseCron(expr).next(at(after)).toISOString();

/** The next `n` matches after `after`. */
function nexts(expr: string, after: string, n: number): string[] {
  const cron = parseCron(expr);
  const out: string[] = [];
  let t = at(after);
  for (let i = 0; i < n; i++) {
    t = cron.next(t);
    out.push(t.toISOString());
  }
  return out;
}

function rejects(expr: string, message: RegExp): void {
  assert.throws(() => parseCron(expr), (err: unknown) => {
    assert.ok(err instanceof SlipwayError, String(err));
    assert.equal(err.kind, 'invalid_input');
    assert.equal(err.field, 'expr');
    assert.match(err.message, message);
    assert.ok((err.hint ?? '').length > 0, 'has a hint');
    return true;
  }, expr);
}

describe('cron expressions', () => {
  describe('next()', () => {
    it('every minute: the next whole minute, strictly after', () => {
      assert.equal(next('* * * * *', '2030-01-01T00:00:00.000Z'), '2030-01-01T00:01:00.000Z');
      assert.equal(next('* * * * *', '2030-01-01T00:00:59.999Z'), '2030-01-01T00:01:00.000Z');
      assert.equal(next('* * * * *', '2030-12-31T23:59:30.000Z'), '2031-01-01T00:00:00.000Z');
    });

    it('fixed minute and hour', () => {
      assert.equal(next('30 3 * * *', '2030-01-01T00:00:00Z'), '2030-01-01T03:30:00.000Z');
      assert.equal(next('30 3 * * *', '2030-01-01T03:30:00Z'), '2030-01-02T03:30:00.000Z');
      assert.equal(next('0 0 * * *', '2030-02-28T12:00:00Z'), '2030-03-01T00:00:00.000Z');
    });

    it('lists, ranges and steps', () => {
      assert.deepEqual(nexts('*/15 * * * *', '2030-01-01T00:00:00Z', 5), [
        '2030-01-01T00:15:00.000Z', '2030-01-01T00:30:00.000Z', '2030-01-01T00:45:00.000Z', '2030-01-01T01:00:00.000Z', '2030-01-01T01:15:00.000Z',
      ]);
      assert.deepEqual(nexts('0,30 9-10 * * *', '2030-01-01T00:00:00Z', 5), [
        '2030-01-01T09:00:00.000Z', '2030-01-01T09:30:00.000Z', '2030-01-01T10:00:00.000Z', '2030-01-01T10:30:00.000Z', '2030-01-02T09:00:00.000Z',
      ]);
      assert.deepEqual(nexts('1-10/3 0 * * *', '2030-01-01T00:00:00Z', 5), [
        '2030-01-01T00:01:00.000Z', '2030-01-01T00:04:00.000Z', '2030-01-01T00:07:00.000Z', '2030-01-01T00:10:00.000Z', '2030-01-02T00:01:00.000Z',
      ]);
      // N/step: from N to the end of the range.
      assert.deepEqual(nexts('50/5 0 * * *', '2030-01-01T00:00:00Z', 3), ['2030-01-01T00:50:00.000Z', '2030-01-01T00:55:00.000Z', '2030-01-02T00:50:00.000Z']);
      assert.deepEqual(nexts('0 */8 * * *', '2030-01-01T01:00:00Z', 3), ['2030-01-01T08:00:00.000Z', '2030-01-01T16:00:00.000Z', '2030-01-02T00:00:00.000Z']);
      assert.deepEqual(nexts('0 0 1 */4 *', '2030-01-01T00:00:00Z', 3), ['2030-05-01T00:00:00.000Z', '2030-09-01T00:00:00.000Z', '2031-01-01T00:00:00.000Z']);
      // Mixed list of single values, ranges and stepped ranges.
      assert.deepEqual(nexts('5,10-12,40-50/5 0 * * *', '2030-01-01T00:00:00Z', 8).map((s) => s.slice(14, 16)), ['05', '10', '11', '12', '40', '45', '50', '05']);
    });

    it('month and weekday names, any case; 7 is Sunday', () => {
      assert.equal(next('0 0 1 JUL *', '2030-01-01T00:00:00Z'), '2030-07-01T00:00:00.000Z');
      assert.equal(next('0 0 1 jun-aug *', '2030-09-01T00:00:00Z'), '2031-06-01T00:00:00.000Z');
      // 2030-01-01 is a Tuesday.
      assert.equal(next('0 12 * * fri', '2030-01-01T00:00:00Z'), '2030-01-04T12:00:00.000Z');
      assert.deepEqual(nexts('0 0 * * Mon-Wed', '2030-01-01T00:00:00Z', 4), [
        '2030-01-02T00:00:00.000Z', '2030-01-07T00:00:00.000Z', '2030-01-08T00:00:00.000Z', '2030-01-09T00:00:00.000Z',
      ]);
      assert.equal(next('0 0 * * 7', '2030-01-01T00:00:00Z'), '2030-01-06T00:00:00.000Z');
      assert.equal(next('0 0 * * 0', '2030-01-01T00:00:00Z'), '2030-01-06T00:00:00.000Z');
      assert.deepEqual(nexts('0 0 * * 5-7', '2030-01-01T00:00:00Z', 3), ['2030-01-04T00:00:00.000Z', '2030-01-05T00:00:00.000Z', '2030-01-06T00:00:00.000Z']);
      assert.deepEqual(nexts('0 0 * * */2', '2030-01-01T00:00:00Z', 4), [
        '2030-01-03T00:00:00.000Z', '2030-01-05T00:00:00.000Z', '2030-01-06T00:00:00.000Z', '2030-01-08T00:00:00.000Z',
      ]);
    });

    it('macros', () => {
      assert.equal(next('@hourly', '2030-01-01T00:00:00Z'), '2030-01-01T01:00:00.000Z');
      assert.equal(next('@daily', '2030-01-01T00:00:00Z'), '2030-01-02T00:00:00.000Z');
      assert.equal(next('@midnight', '2030-01-01T05:00:00Z'), '2030-01-02T00:00:00.000Z');
      assert.equal(next('@weekly', '2030-01-01T00:00:00Z'), '2030-01-06T00:00:00.000Z');
      assert.equal(next('@monthly', '2030-01-15T00:00:00Z'), '2030-02-01T00:00:00.000Z');
      assert.equal(next('@yearly', '2030-01-01T00:00:00Z'), '2031-01-01T00:00:00.000Z');
      assert.equal(next('@annually', '2030-06-01T00:00:00Z'), '2031-01-01T00:00:00.000Z');
      assert.equal(next(' @DAILY ', '2030-01-01T00:00:00Z'), '2030-01-02T00:00:00.000Z');
    });

    it('day-of-month and day-of-week both restricted: either matches (POSIX)', () => {
      // The 13th, or any Friday: Fri 4th, Fri 11th, Sun 13th, Fri 18th.
      assert.deepEqual(nexts('0 0 13 * 5', '2030-01-01T00:00:00Z', 4), [
        '2030-01-04T00:00:00.000Z', '2030-01-11T00:00:00.000Z', '2030-01-13T00:00:00.000Z', '2030-01-18T00:00:00.000Z',
      ]);
      // Only one restricted: that one alone decides.
      assert.deepEqual(nexts('0 0 13 * *', '2030-01-01T00:00:00Z', 2), ['2030-01-13T00:00:00.000Z', '2030-02-13T00:00:00.000Z']);
      assert.deepEqual(nexts('0 0 * * 5', '2030-01-01T00:00:00Z', 2), ['2030-01-04T00:00:00.000Z', '2030-01-11T00:00:00.000Z']);
      // `?` is a wildcard like `*`.
      assert.deepEqual(nexts('0 0 13 * ?', '2030-01-01T00:00:00Z', 1), ['2030-01-13T00:00:00.000Z']);
      // A stepped field is a restriction: every other day-of-month OR Mondays.
      assert.ok(parseCron('0 0 */2 * 1').matches(at('2030-01-07T00:00:00Z')), 'Monday the 7th matches by weekday');
      assert.ok(!parseCron('0 0 */2 * 1').matches(at('2030-01-08T00:00:00Z')), 'Tuesday the 8th matches neither');
    });

    it('skips months that lack the day and finds leap days', () => {
      assert.deepEqual(nexts('0 0 31 * *', '2030-01-31T00:00:00Z', 3), ['2030-03-31T00:00:00.000Z', '2030-05-31T00:00:00.000Z', '2030-07-31T00:00:00.000Z']);
      assert.equal(next('0 0 29 2 *', '2029-03-01T00:00:00Z'), '2032-02-29T00:00:00.000Z');
      assert.equal(next('0 0 29 2 *', '2096-03-01T00:00:00Z'), '2104-02-29T00:00:00.000Z'); // 2100 is not a leap year
      assert.equal(next('59 23 31 12 *', '2030-06-01T00:00:00Z'), '2030-12-31T23:59:00.000Z');
    });

    it('next() always lands on a matching minute with no match skipped (brute force against matches())', () => {
      const exprs = ['*/7 * * * *', '0 */5 * * *', '15 2 1,15,20-23 * *', '0 0 * * 1-5', '30 6 13 * fri', '0 0 */3 * *', '*/20 9-17 * * mon,wed', '@hourly', '5 4 * * 7'];
      let seed = 42;
      const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
      for (const expr of exprs) {
        const cron = parseCron(expr);
        for (let i = 0; i < 12; i++) {
          const start = new Date(Date.UTC(2030, 0, 1) + Math.floor(random() * 365 * 86_400_000));
          const found = cron.next(start);
          assert.ok(cron.matches(found), `${expr}: ${found.toISOString()} does not match`);
          assert.equal(found.getTime() % 60_000, 0);
          for (let t = Math.floor(start.getTime() / 60_000) * 60_000 + 60_000; t < found.getTime(); t += 60_000) {
            assert.ok(!cron.matches(new Date(t)), `${expr}: skipped ${new Date(t).toISOString()} after ${start.toISOString()}`);
          }
        }
      }
    });
  });

  describe('invalid expressions: invalid_input naming the field, with a hint', () => {
    it('wrong shape', () => {
      rejects('', /it is empty/);
      rejects('   ', /it is empty/);
      rejects('* * * *', /4 fields, not 5/);
      rejects('* * * * * *', /6 fields, not 5/);
      rejects('nightly', /1 field, not 5/);
      rejects('@every 5m', /unknown macro/);
      rejects('@reboot', /unknown macro/);
    });

    it('values out of range, per field', () => {
      rejects('60 * * * *', /minute "60": 60 is out of range 0-59/);
      rejects('* 24 * * *', /hour "24": 24 is out of range 0-23/);
      rejects('* * 0 * *', /day-of-month "0": 0 is out of range 1-31/);
      rejects('* * 32 * *', /day-of-month/);
      rejects('* * * 13 *', /month "13": 13 is out of range 1-12/);
      rejects('* * * 0 *', /month/);
      rejects('* * * * 8', /day-of-week "8": 8 is out of range 0-7/);
    });

    it('malformed items', () => {
      rejects('1,,2 * * * *', /minute "1,,2": empty list item/);
      rejects('*/0 * * * *', /step "0"/);
      rejects('*/x * * * *', /step "x"/);
      rejects('1/2/3 * * * *', /more than one/);
      rejects('1-2-3 * * * *', /one "-"/);
      rejects('10-5 * * * *', /range 10-5 goes backwards/);
      rejects('a * * * *', /minute "a": "a" is not a number/);
      rejects('* * * foo *', /month "foo": "foo" is not a number or name/);
      rejects('* * * * sunday', /day-of-week/);
      rejects('* * * mon *', /month/); // weekday names are not months
      rejects('-1 * * * *', /missing number/);
      rejects('1.5 * * * *', /not a number/);
    });

    it('an expression that can never match', () => {
      rejects('0 0 30 2 *', /never matches/);
      rejects('0 0 31 4,6,9,11 *', /never matches/);
    });

    it('the hint explains the field', () => {
      assert.throws(() => parseCron('* 25 * * *'), (err: unknown) => err instanceof SlipwayError && /hour is 0-23/.test(err.hint ?? ''));
      assert.throws(() => parseCron('* * * * 9'), (err: unknown) => err instanceof SlipwayError && /sun-sat/.test(err.hint ?? ''));
      assert.equal(isValidCron('*/5 * * * *'), true);
      assert.equal(isValidCron('*/5 * * *'), false);
    });
  });
});
