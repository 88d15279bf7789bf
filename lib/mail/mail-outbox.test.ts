import { describe, expect, it } from "vitest";
import { mailRetryDelayMs } from "./mail-outbox";

describe("mailRetryDelayMs", () => {
  it("doubles from 30 seconds and stops at an hour", () => {
    expect(mailRetryDelayMs(1)).toBe(30_000);
    expect(mailRetryDelayMs(2)).toBe(60_000);
    expect(mailRetryDelayMs(4)).toBe(240_000);
    expect(mailRetryDelayMs(20)).toBe(3_600_000);
  });
});
