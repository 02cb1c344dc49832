// Parses 5-field cron expressions (minute hour day-of-month month day-of-week, or @daily …) and finds the next
// matching minute in UTC, with the POSIX rule that a restricted day-of-month OR a restricted day-of-week matches.

import { SlipwayError } from '../core/errors.js';

export interface CronExpr {
  /** The expression as given (trimmed). */
  readonly source: string;
  /** The first whole UTC minute strictly after `after` that the expression matches. */
  next(after: Date): Date;
  /** Whether the UTC minute of `at` matches (seconds are ignored). */
  matches(at: Date): boolean;
}

interface FieldSpec {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
  readonly example: string;
}

const FIELDS: readonly FieldSpec[] = [
  { name: 'minute', min: 0, max: 59, example: '*/15 or 0,30' },
  { name: 'hour', min: 0, max: 23, example: '9-17 or */6' },
  { name: 'day-of-month', min: 1, max: 31, example: '1,15 or 1-7' },
  { name: 'month', min: 1, max: 12, names: ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'], example: 'jan-jun or 1,7' },
  // 7 is Sunday too, as in most crons; names map to 0–6.
  { name: 'day-of-week', min: 0, max: 7, names: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'], example: 'mon-fri or 0,6' },
];

const MACROS: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

const SHAPE_HINT = 'use five fields "minute hour day-of-month month day-of-week" (e.g. "0 3 * * *" for 03:00 UTC daily) or @hourly, @daily, @weekly, @monthly, @yearly';

/** How far next() looks: Feb 29 on a given weekday can be 28 years away; anything further never matches. */
const SEARCH_YEARS = 30;

interface Parsed {
  readonly minutes: ReadonlySet<number>;
  readonly hours: ReadonlySet<number>;
  readonly days: ReadonlySet<number>;
  readonly months: ReadonlySet<number>;
  readonly weekdays: ReadonlySet<number>;
  /** A wildcard (`*` or `?`) day field does not take part in the day-of-month OR day-of-week rule. */
  readonly daysStar: boolean;
  readonly weekdaysStar: boolean;
}

/** Parses `expr`; SlipwayError invalid_input (field `expr`) naming the cron field at fault, with a hint. */
export function parseCron(expr: string): CronExpr {
  const source = expr.trim();
  const parsed = parseFields(source);
  const cron: CronExpr = {
    source,
    next: (after) => nextMatch(parsed, after, source),
    matches: (at) =>
      parsed.months.has(at.getUTCMonth() + 1) && dayMatches(parsed, at) && parsed.hours.has(at.getUTCHours()) && parsed.minutes.has(at.getUTCMinutes()),
  };
  // An expression that can never match (e.g. February 30th) is refused now rather than failing at every tick.
  cron.next(new Date(Date.UTC(2000, 0, 1)));
  return cron;
}

/** True when parseCron would accept it. */
export function isValidCron(expr: string): boolean {
  try {
    parseCron(expr);
    return true;
  } catch {
    return false;
  }
}

function parseFields(source: string): Parsed {
  if (source === '') throw invalid(source, 'it is empty', SHAPE_HINT);
  let text = source;
  if (source.startsWith('@')) {
    const macro = MACROS[source.toLowerCase()];
    if (macro === undefined) throw invalid(source, `unknown macro ${source}`, 'use @hourly, @daily (@midnight), @weekly, @monthly or @yearly (@annually)');
    text = macro;
  }
  const parts = text.split(/\s+/);
  if (parts.length !== 5) throw invalid(source, `it has ${parts.length} field${parts.length === 1 ? '' : 's'}, not 5`, SHAPE_HINT);
  const sets = parts.map((part, i) => parseField(source, part, FIELDS[i] as FieldSpec));
  const [minutes, hours, days, months, weekdays] = sets as [Set<number>, Set<number>, Set<number>, Set<number>, Set<number>];
  if (weekdays.delete(7)) weekdays.add(0);
  const star = (part: string | undefined) => part === '*' || part === '?';
  return { minutes, hours, days, months, weekdays, daysStar: star(parts[2]), weekdaysStar: star(parts[4]) };
}

function parseField(source: string, text: string, spec: FieldSpec): Set<number> {
  const values = new Set<number>();
  const fail = (why: string) => invalid(source, `${spec.name} ${JSON.stringify(text)}: ${why}`, `${spec.name} is ${spec.min}-${spec.max}${spec.names ? ` or ${spec.names[0]}-${spec.names.at(-1)}` : ''}, e.g. ${spec.example}`);
  for (const item of text.split(',')) {
    if (item === '') throw fail('empty list item');
    const [range, stepText, extra] = item.split('/');
    if (range === undefined || extra !== undefined) throw fail('more than one "/"');
    let step = 1;
    if (stepText !== undefined) {
      if (!/^[0-9]+$/.test(stepText) || Number(stepText) < 1) throw fail(`step ${JSON.stringify(stepText)} must be a whole number ≥ 1`);
      step = Number(stepText);
    }
    let low: number;
    let high: number;
    // Open-ended day-of-week ranges stop at Saturday (6): `*/2` is 0,2,4,6, not also 7 (Sunday again).
    const top = spec.name === 'day-of-week' ? 6 : spec.max;
    if (range === '*' || range === '?') {
      low = spec.min;
      high = top;
    } else {
      const ends = range.split('-');
      if (ends.length > 2) throw fail('a range has one "-"');
      low = value(ends[0] ?? '', spec, fail);
      // `5/15` means from 5 to the end in steps of 15 (as Vixie cron's `5-59/15`).
      high = ends[1] !== undefined ? value(ends[1], spec, fail) : stepText !== undefined ? top : low;
      if (low > high) throw fail(`range ${range} goes backwards`);
    }
    for (let v = low; v <= high; v += step) values.add(v);
  }
  return values;
}

function value(text: string, spec: FieldSpec, fail: (why: string) => SlipwayError): number {
  const named = spec.names?.indexOf(text.toLowerCase()) ?? -1;
  if (named >= 0) return named + (spec.name === 'month' ? 1 : 0);
  if (!/^[0-9]+$/.test(text)) throw fail(text === '' ? 'missing number' : `${JSON.stringify(text)} is not a number${spec.names ? ' or name' : ''}`);
  const n = Number(text);
  if (n < spec.min || n > spec.max) throw fail(`${n} is out of range ${spec.min}-${spec.max}`);
  return n;
}

function dayMatches(p: Parsed, d: Date): boolean {
  const dom = p.days.has(d.getUTCDate());
  const dow = p.weekdays.has(d.getUTCDay());
  if (p.daysStar && p.weekdaysStar) return true;
  if (p.daysStar) return dow;
  if (p.weekdaysStar) return dom;
  return dom || dow;
}

function nextMatch(p: Parsed, after: Date, source: string): Date {
  const t = new Date(Math.floor(after.getTime() / 60_000) * 60_000 + 60_000);
  const limit = Date.UTC(t.getUTCFullYear() + SEARCH_YEARS, 0, 1);
  while (t.getTime() < limit) {
    if (!p.months.has(t.getUTCMonth() + 1)) {
      t.setUTCMonth(t.getUTCMonth() + 1, 1);
      t.setUTCHours(0, 0, 0, 0);
    } else if (!dayMatches(p, t)) {
      t.setUTCDate(t.getUTCDate() + 1);
      t.setUTCHours(0, 0, 0, 0);
    } else if (!p.hours.has(t.getUTCHours())) {
      t.setUTCHours(t.getUTCHours() + 1, 0, 0, 0);
    } else if (!p.minutes.has(t.getUTCMinutes())) {
      t.setUTCMinutes(t.getUTCMinutes() + 1, 0, 0);
    } else {
      return t;
    }
  }
  throw invalid(source, 'it never matches any date', 'check the day-of-month against the month (e.g. "30 2" is February 30th)');
}

function invalid(source: string, why: string, hint: string): SlipwayError {
  return new SlipwayError('invalid_input', `invalid cron expression ${JSON.stringify(source)}: ${why}`, { field: 'expr', hint });
}
