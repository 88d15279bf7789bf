import { describe, expect, it } from "vitest";
import { createFailureLimiter } from "./failure-limiter";

function limiter(capacity = 3, refillPerSecond = 0.5) {
  let now = 0;
  const l = createFailureLimiter({ capacity, refillPerSecond, now: () => now, maxKeys: 4 });
  return { l, tick: (s: number) => (now += s * 1000) };
}

describe("failure limiter (per address)", () => {
  it("lets `capacity` failures through, then asks to wait until a token is back", () => {
    const { l } = limiter();
    expect([l.recordFailure("a"), l.recordFailure("a")]).toEqual([0, 0]);
    expect(l.recordFailure("a")).toBe(2);
    expect(l.retryAfter("a")).toBe(2);
  });

  it("refills over time", () => {
    const { l, tick } = limiter();
    for (let i = 0; i < 3; i++) l.recordFailure("a");
    tick(1);
    expect(l.retryAfter("a")).toBe(1);
    tick(1);
    expect(l.retryAfter("a")).toBe(0);
  });

  it("keeps addresses apart: one guesser does not block a colleague elsewhere", () => {
    const { l } = limiter();
    for (let i = 0; i < 10; i++) l.recordFailure("10.0.0.1");
    expect(l.retryAfter("10.0.0.1")).toBeGreaterThan(0);
    expect(l.retryAfter("10.0.0.2")).toBe(0);
  });

  it("an address that never fails is never limited (successes take no token)", () => {
    const { l } = limiter();
    expect(l.retryAfter("office-nat")).toBe(0);
  });

  it("stays bounded under an address flood", () => {
    const { l } = limiter();
    for (let i = 0; i < 100; i++) l.recordFailure(`addr-${i}`);
    expect(l.retryAfter("addr-99")).toBe(0);
    expect(l.recordFailure("addr-99")).toBe(0);
  });
});
