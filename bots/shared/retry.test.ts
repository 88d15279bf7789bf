import { describe, expect, it } from "vitest";
import { parseRetryAfterMs, retryDelayMs, withRetry, type RetryOptions } from "./retry";

/** Virtual time: sleeping only moves the clock forward. */
function fakeClock() {
  const clock = { now: 0, sleeps: [] as number[] };
  const options: RetryOptions = {
    sleep: async (ms) => {
      clock.sleeps.push(ms);
      clock.now += ms;
    },
    random: () => 0.5,
  };
  return { clock, options };
}

function httpError(status: number, extra: Record<string, unknown> = {}) {
  return Object.assign(new Error(`HTTP ${status}`), { status, errcode: status === 429 ? "M_LIMIT_EXCEEDED" : "M_UNKNOWN", ...extra });
}

function failing(errors: unknown[], result = "ok") {
  let calls = 0;
  const call = async () => {
    const err = errors[calls++];
    if (err !== undefined) throw err;
    return result;
  };
  return { call, calls: () => calls };
}

describe("withRetry", () => {
  it("waits exactly as long as Retry-After says (plus a little jitter) before the next try", async () => {
    const { clock, options } = fakeClock();
    const { call, calls } = failing([httpError(429, { retryAfterMs: 2_000 }), httpError(429, { retryAfterMs: 3_000 })]);
    expect(await withRetry(call, { idempotent: false }, options)).toBe("ok");
    expect(calls()).toBe(3);
    expect(clock.sleeps[0]).toBeGreaterThanOrEqual(2_000);
    expect(clock.sleeps[0]).toBeLessThanOrEqual(2_300);
    expect(clock.sleeps[1]).toBeGreaterThanOrEqual(3_000);
    expect(clock.now).toBe(clock.sleeps[0]! + clock.sleeps[1]!);
  });

  it("understands matrix-bot-sdk's MatrixError (statusCode, retryAfterMs from the body)", async () => {
    const { clock, options } = fakeClock();
    const sdkError = Object.assign(new Error("M_LIMIT_EXCEEDED"), { statusCode: 429, errcode: "M_LIMIT_EXCEEDED", retryAfterMs: 1_500 });
    const { call } = failing([sdkError]);
    await withRetry(call, { idempotent: true }, options);
    expect(clock.sleeps[0]).toBeGreaterThanOrEqual(1_500);
  });

  it("backs off exponentially without Retry-After and gives up after maxAttempts with the last error", async () => {
    const { clock, options } = fakeClock();
    const errors = Array.from({ length: 10 }, () => httpError(503));
    const { call, calls } = failing(errors);
    await expect(withRetry(call, { idempotent: true }, { ...options, maxAttempts: 5, baseDelayMs: 1_000 })).rejects.toMatchObject({ status: 503 });
    expect(calls()).toBe(5);
    // random 0.5 → three quarters of each doubling backoff.
    expect(clock.sleeps).toEqual([750, 1_500, 3_000, 6_000]);
  });

  it("caps the backoff at maxDelayMs", async () => {
    const { clock, options } = fakeClock();
    const { call } = failing(Array.from({ length: 7 }, () => httpError(502)));
    await withRetry(call, { idempotent: true }, { ...options, maxAttempts: 8, baseDelayMs: 1_000, maxDelayMs: 4_000 });
    expect(Math.max(...clock.sleeps)).toBe(3_000);
  });

  it("fails at once when Retry-After is longer than it may wait", async () => {
    const { clock, options } = fakeClock();
    const { call, calls } = failing([httpError(429, { retryAfterMs: 10 * 60_000 })]);
    await expect(withRetry(call, { idempotent: true }, options)).rejects.toMatchObject({ status: 429 });
    expect(calls()).toBe(1);
    expect(clock.sleeps).toEqual([]);
  });

  it("reports each retry", async () => {
    const { options } = fakeClock();
    const seen: unknown[] = [];
    const { call } = failing([httpError(429, { retryAfterMs: 100 })]);
    await withRetry(call, { idempotent: true }, { ...options, onRetry: (info) => seen.push(info) });
    expect(seen).toEqual([{ attempt: 1, delayMs: expect.any(Number), status: 429, errcode: "M_LIMIT_EXCEEDED" }]);
  });
});

describe("retryDelayMs", () => {
  const options = { random: () => 0 };
  const refused = Object.assign(new TypeError("fetch failed"), { cause: { code: "ECONNREFUSED" } });
  const reset = Object.assign(new TypeError("fetch failed"), { cause: { code: "ECONNRESET" } });
  const timeout = Object.assign(new Error("timed out"), { name: "TimeoutError" });

  it.each<[string, unknown, boolean, boolean]>([
    // name, error, retried when idempotent, retried when not
    ["429", httpError(429), true, true],
    ["502", httpError(502), true, true],
    ["503", httpError(503), true, true],
    ["500", httpError(500), true, false],
    ["a refused connection", refused, true, true],
    ["a reset connection", reset, true, false],
    ["a timeout", timeout, true, false],
    ["403", httpError(403), false, false],
    ["404", httpError(404), false, false],
    ["400", httpError(400), false, false],
    ["a programming error", new RangeError("bug"), false, false],
  ])("%s", (_name, err, idempotent, notIdempotent) => {
    expect(retryDelayMs(err, 1, { idempotent: true }, options) !== undefined).toBe(idempotent);
    expect(retryDelayMs(err, 1, { idempotent: false }, options) !== undefined).toBe(notIdempotent);
  });
});

describe("parseRetryAfterMs", () => {
  const now = Date.parse("2026-11-25T10:00:00Z");
  it.each<[string | null, unknown, number | undefined]>([
    ["3", {}, 3_000],
    [" 0 ", {}, 0],
    ["Wed, 25 Nov 2026 10:00:05 GMT", {}, 5_000],
    ["Wed, 25 Nov 2026 09:59:00 GMT", {}, 0],
    [null, { retry_after_ms: 1_234 }, 1_234],
    ["soon", { retry_after_ms: 700 }, 700],
    [null, {}, undefined],
    [null, { retry_after_ms: -5 }, undefined],
  ])("header %j, body %j → %s", (header, body, expected) => {
    expect(parseRetryAfterMs(header, body, now)).toBe(expected);
  });
});
