import { describe, expect, it } from "vitest";
import { FloodLimiter } from "./flood-limiter";

const limits = { messages: 3, windowSeconds: 10 };

describe("FloodLimiter", () => {
  it("lets the limit through, warns on the first message over it and restricts on the next", () => {
    const limiter = new FloodLimiter();
    const verdicts = [0, 1, 2, 3, 4].map((i) => limiter.hit("!r", "@a", 1_000 + i * 100, limits));
    expect(verdicts).toEqual(["ok", "ok", "ok", "warn", "restrict"]);
  });

  it("counts in a sliding window: slow writers are never warned", () => {
    const limiter = new FloodLimiter();
    const verdicts = Array.from({ length: 20 }, (_, i) => limiter.hit("!r", "@a", i * 4_000, limits));
    expect(verdicts.every((v) => v === "ok")).toBe(true);
  });

  it("counts per person and per room", () => {
    const limiter = new FloodLimiter();
    for (let i = 0; i < 3; i++) limiter.hit("!r", "@a", i, limits);
    expect(limiter.hit("!r", "@b", 5, limits)).toBe("ok");
    expect(limiter.hit("!other", "@a", 5, limits)).toBe("ok");
    expect(limiter.hit("!r", "@a", 5, limits)).toBe("warn");
  });

  it("forgets a warning once a window passed without a further excess", () => {
    const limiter = new FloodLimiter();
    for (let i = 0; i < 4; i++) limiter.hit("!r", "@a", i, limits);
    const later = 60_000;
    expect([0, 1, 2, 3].map((i) => limiter.hit("!r", "@a", later + i, limits))).toEqual(["ok", "ok", "ok", "warn"]);
  });

  it("starts afresh after a restriction", () => {
    const limiter = new FloodLimiter();
    for (let i = 0; i < 5; i++) limiter.hit("!r", "@a", i, limits);
    expect(limiter.hit("!r", "@a", 10, limits)).toBe("ok");
  });
});
