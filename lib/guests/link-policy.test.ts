import { describe, expect, it } from "vitest";
import { defaultLinkExpiry, expiryProblem, linkStatus, MAX_LINK_DAYS } from "./link-policy";

const NOW = new Date("2026-11-25T09:00:00Z");
const hours = (h: number) => new Date(NOW.getTime() + h * 3_600_000);

describe("defaultLinkExpiry", () => {
  it("is the meeting's end plus two hours", () => {
    expect(defaultLinkExpiry({ endsAt: hours(3) }, NOW)).toEqual(hours(5));
  });
  it("still covers a meeting that just ended, within the grace period", () => {
    expect(defaultLinkExpiry({ endsAt: hours(-1) }, NOW)).toEqual(hours(1));
  });
  it("falls back to seven days for rooms without an end, or meetings long over", () => {
    expect(defaultLinkExpiry({ endsAt: null }, NOW)).toEqual(hours(7 * 24));
    expect(defaultLinkExpiry({ endsAt: hours(-5) }, NOW)).toEqual(hours(7 * 24));
  });
});

describe("expiryProblem", () => {
  it.each([
    [hours(0), "now"],
    [hours(-1), "the past"],
    [hours(MAX_LINK_DAYS * 24 + 1), "beyond the maximum"],
  ])("refuses %s (%s)", (at) => {
    expect(expiryProblem(at, NOW)).toEqual(expect.any(String));
  });
  it("accepts a time within the allowed window", () => {
    expect(expiryProblem(hours(1), NOW)).toBeNull();
    expect(expiryProblem(hours(MAX_LINK_DAYS * 24), NOW)).toBeNull();
  });
});

describe("linkStatus", () => {
  const base = { expiresAt: hours(1), revokedAt: null, uses: 0, maxUses: 1 };
  it.each([
    [base, "active"],
    [{ ...base, uses: 1 }, "used-up"],
    [{ ...base, expiresAt: NOW }, "expired"],
    [{ ...base, uses: 1, expiresAt: hours(-1) }, "expired"],
    [{ ...base, revokedAt: hours(-1), expiresAt: hours(-1), uses: 1 }, "revoked"],
  ] as const)("%j is %s", (link, status) => {
    expect(linkStatus(link, NOW)).toBe(status);
  });
});
