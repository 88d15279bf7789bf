import type { RatioSpread } from "./types";

/** Linear-interpolated percentile (p in 0..100) of unsorted numbers; NaN for none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  const a = sorted[lo]!;
  const b = sorted[hi]!;
  return a + (b - a) * (rank - lo);
}

export const median = (values: readonly number[]) => percentile(values, 50);

/** Median ratio and its spread over the repetitions. */
export function summariseRatios(ratios: readonly number[]): { ratio: number; spread: RatioSpread } {
  return {
    ratio: median(ratios),
    spread: {
      p25: percentile(ratios, 25),
      p75: percentile(ratios, 75),
      min: Math.min(...ratios),
      max: Math.max(...ratios),
    },
  };
}

/** Rounds for the report: 3 significant decimals are all a 2-core machine can tell apart. */
export function round(value: number, digits = 3): number {
  if (!Number.isFinite(value)) return value;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** The spread as the report shows it, rounded like the ratio. */
export function roundedSpread(spread: RatioSpread): RatioSpread {
  return { p25: round(spread.p25), p75: round(spread.p75), min: round(spread.min), max: round(spread.max) };
}
