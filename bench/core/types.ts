/**
 * The shapes every benchmark shares. A benchmark measures a Stadtfunk path (A)
 * against the raw homeserver or database calls with the same effect (B, the
 * lower bound), interleaved in one run, and reports the ratio A/B.
 */

export interface BenchOptions {
  /** Tiny sizes, seconds per benchmark: proves the benchmark runs, says nothing about speed. */
  smoke: boolean;
}

/** Spread of the per-repetition ratios. */
export interface RatioSpread {
  p25: number;
  p75: number;
  min: number;
  max: number;
}

export type RowStatus = "measured" | "modelled" | "not yet built" | "failed";

/** One line of the table and one object in bench/results/latest.json. */
export interface BenchRow {
  /** "B6", "B7", ... */
  benchmark: string;
  name: string;
  status: RowStatus;
  /** The goal in words, e.g. "ratio <= 1.1, zero 429s". */
  target: string;
  /** Median of the per-repetition ratios A/B (or, for a model, figure / budget). */
  ratio: number | null;
  ratio_spread: RatioSpread | null;
  /** A side (the Stadtfunk path), pooled over all repetitions. */
  p50_ms: number | null;
  p95_ms: number | null;
  /** B side (the lower bound), pooled over all repetitions. */
  baseline_p50_ms: number | null;
  baseline_p95_ms: number | null;
  /** Operations measured on the A side. */
  n: number | null;
  /** Interleaved A/B pairs. */
  pairs: number | null;
  /** 429 / M_LIMIT_EXCEEDED answers on the A side. */
  errors_429: number | null;
  /** Other failed operations on the A side. */
  errors_other: number | null;
  /** Homeserver HTTP calls per operation, where the path talks to the homeserver. */
  homeserver_calls_per_op: number | null;
  /** Passed its target; null when not measured or informational only. */
  ok: boolean | null;
  /** Further figures the row is judged by (wall times, Mbps, ...). */
  figures?: Record<string, number>;
  notes?: string;
  duration_s?: number;
}

/** What a benchmark's run() hands back: the runner fills in status, benchmark id and duration. */
export type MeasuredRow = Partial<BenchRow> & Pick<BenchRow, "name" | "target" | "ok">;

export interface BenchResult {
  rows: MeasuredRow[];
}

/** Long-lived helpers the runner gives every benchmark. */
export interface BenchContext {
  /** The project root (every benchmark runs from it: migrations are found relative to it). */
  root: string;
  log(message: string): void;
  /** A fresh directory removed when the run ends. */
  tmpDir(prefix: string): string;
  /** Registers a clean-up step; steps run in reverse order when the run ends, even after a failure. */
  onCleanup(step: () => Promise<void> | void): void;
  /**
   * A server or stack shared by several benchmarks (started once, stopped at
   * the end). Benchmarks that need the same throwaway Synapse ask for the same key.
   */
  shared<T>(key: string, start: () => Promise<{ value: T; stop: () => Promise<void> }>): Promise<T>;
}

export interface Benchmark {
  id: string;
  name: string;
  target: string;
  description: string;
  run(ctx: BenchContext, opts: BenchOptions): Promise<BenchResult>;
}

/** A benchmark whose capability does not exist yet: listed, never silently skipped. */
export interface PlannedBenchmark {
  id: string;
  name: string;
  target: string;
  description: string;
  status: "not yet built";
}

export type BenchmarkEntry = Benchmark | PlannedBenchmark;

export function isPlanned(entry: BenchmarkEntry): entry is PlannedBenchmark {
  return "status" in entry && entry.status === "not yet built";
}
