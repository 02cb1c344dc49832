// Step timeouts: Slipway's `timeout: 10m` / `1h30m` / `90s`, or a bare number of minutes (the unit Drone and
// Woodpecker use for their repository timeouts; neither has a per-step timeout).

const UNIT_SECONDS: Readonly<Record<string, number>> = { h: 3600, m: 60, s: 1 };
/** A day: longer steps are a typo, and the run queue should not be held that long. */
export const MAX_TIMEOUT_SECONDS = 24 * 3600;

/** Seconds, or an error message. */
export function parseTimeout(value: string | number): number | string {
  if (typeof value === 'number') return checkRange(Number.isInteger(value) ? value * 60 : NaN);
  const text = value.trim();
  if (/^[0-9]+$/.test(text)) return checkRange(Number(text) * 60);
  const parts = /^(?:([0-9]+)h)?(?:([0-9]+)m)?(?:([0-9]+)s)?$/.exec(text);
  if (text === '' || parts === null) return `invalid duration "${text.slice(0, 40)}": write e.g. 90s, 10m or 1h30m`;
  let seconds = 0;
  ['h', 'm', 's'].forEach((unit, i) => {
    seconds += Number(parts[i + 1] ?? 0) * (UNIT_SECONDS[unit] ?? 0);
  });
  return checkRange(seconds);
}

function checkRange(seconds: number): number | string {
  if (!Number.isFinite(seconds) || seconds <= 0) return 'timeout must be a positive duration';
  if (seconds > MAX_TIMEOUT_SECONDS) return 'timeout must be at most 24h';
  return seconds;
}
