// Small statistics and formatting helpers for the benchmarks: medians over repetitions, ratios, durations.

export function mean(values: readonly number[]): number | undefined {
  return values.length === 0 ? undefined : values.reduce((a, b) => a + b, 0) / values.length;
}

export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const upper = sorted[mid] ?? 0;
  return sorted.length % 2 === 1 ? upper : ((sorted[mid - 1] ?? 0) + upper) / 2;
}

/** The q-quantile (0…1) by nearest rank. */
export function quantile(values: readonly number[], q: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/** Values that are present, for medians over repetitions where some figure may be missing. */
export function present(values: ReadonlyArray<number | undefined>): number[] {
  return values.filter((v): v is number => v !== undefined && Number.isFinite(v));
}

export function ratio(a: number | undefined, b: number | undefined): string {
  return a === undefined || b === undefined || b === 0 ? 'n/a' : `${(a / b).toFixed(2)}×`;
}

/** Milliseconds, with sub-millisecond digits only where they matter. */
export function ms(value: number | undefined, digits?: number): string {
  if (value === undefined) return 'n/a';
  const d = digits ?? (Math.abs(value) < 10 ? 2 : 0);
  return `${value.toFixed(d)} ms`;
}

export function seconds(value: number | undefined): string {
  return value === undefined ? 'n/a' : `${(value / 1000).toFixed(2)} s`;
}

/** A signed difference in ms, e.g. "+32 ms". */
export function delta(a: number | undefined, b: number | undefined): string {
  if (a === undefined || b === undefined) return 'n/a';
  const d = a - b;
  return `${d >= 0 ? '+' : '−'}${ms(Math.abs(d))}`;
}
