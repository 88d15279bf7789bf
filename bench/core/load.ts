/**
 * The tight client: a fixed number of operations at a fixed concurrency
 * (a small worker pool, closed loop), with each operation's latency.
 */

export interface Outcome {
  /** Set when the operation failed; "429" counts as a rate-limit refusal. */
  error?: "429" | string;
}

export interface LoadResult {
  latenciesMs: number[];
  wallMs: number;
  errors429: number;
  errorsOther: number;
  /** The first few non-429 failures, for the report. */
  failureSamples: string[];
}

export async function runLoad(
  count: number,
  concurrency: number,
  op: (index: number) => Promise<Outcome | void>,
): Promise<LoadResult> {
  const latenciesMs: number[] = [];
  let errors429 = 0;
  let errorsOther = 0;
  const failureSamples: string[] = [];
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= count) return;
      const t0 = performance.now();
      let outcome: Outcome | void;
      try {
        outcome = await op(i);
      } catch (err) {
        outcome = { error: (err as Error).message };
      }
      latenciesMs.push(performance.now() - t0);
      if (outcome?.error === "429") errors429++;
      else if (outcome?.error) {
        errorsOther++;
        if (failureSamples.length < 3) failureSamples.push(outcome.error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return { latenciesMs, wallMs: performance.now() - started, errors429, errorsOther, failureSamples };
}

/**
 * Runs the two sides `pairs` times, alternating which goes first (ABBA…),
 * after `warmups` discarded rounds of each: on a shared machine only
 * measurements taken side by side compare.
 */
export async function interleave<T>(
  pairs: number,
  warmups: number,
  a: (pair: number) => Promise<T>,
  b: (pair: number) => Promise<T>,
): Promise<{ a: T[]; b: T[] }> {
  for (let w = 0; w < warmups; w++) {
    await a(-1 - w);
    await b(-1 - w);
  }
  const out = { a: [] as T[], b: [] as T[] };
  for (let i = 0; i < pairs; i++) {
    if (i % 2 === 0) {
      out.a.push(await a(i));
      out.b.push(await b(i));
    } else {
      out.b.push(await b(i));
      out.a.push(await a(i));
    }
  }
  return out;
}

/**
 * Open loop: starts an operation every 1/rate seconds whether or not earlier
 * ones finished, as independent people do. Latency counts from the planned
 * start, so a server that falls behind is not flattered (no coordinated omission).
 */
export async function runOpenLoop(rate: number, count: number, op: (index: number) => Promise<Outcome | void>): Promise<LoadResult> {
  const latenciesMs: number[] = [];
  let errors429 = 0;
  let errorsOther = 0;
  const failureSamples: string[] = [];
  const started = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const planned = started + (i * 1000) / rate;
    const wait = planned - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    inFlight.push(
      (async () => {
        let outcome: Outcome | void;
        try {
          outcome = await op(i);
        } catch (err) {
          outcome = { error: (err as Error).message };
        }
        latenciesMs.push(performance.now() - planned);
        if (outcome?.error === "429") errors429++;
        else if (outcome?.error) {
          errorsOther++;
          if (failureSamples.length < 3) failureSamples.push(outcome.error);
        }
      })(),
    );
  }
  await Promise.all(inFlight);
  return { latenciesMs, wallMs: performance.now() - started, errors429, errorsOther, failureSamples };
}
