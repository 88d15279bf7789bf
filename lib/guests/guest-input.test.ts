import { describe, expect, it } from "vitest";
import { createGuestLinkInput, redeemInput } from "./guest-input";

const secret = "A".repeat(43);

describe("redeemInput", () => {
  it("cleans the name and requires the ticked box and the rules version", () => {
    expect(redeemInput.parse({ secret, displayName: " Gabi  (Gast)", acceptRules: true, rulesVersion: 1 })).toEqual({
      secret,
      displayName: "Gabi",
      acceptRules: true,
      rulesVersion: 1,
    });
  });

  it.each([
    [{ secret, displayName: "Gabi", acceptRules: false, rulesVersion: 1 }, "box not ticked"],
    [{ secret, displayName: "Gabi", rulesVersion: 1 }, "no acceptance"],
    [{ secret, displayName: "G", acceptRules: true, rulesVersion: 1 }, "name too short"],
    [{ secret, displayName: "Gabi", acceptRules: true }, "no rules version"],
    [{ displayName: "Gabi", acceptRules: true, rulesVersion: 1 }, "no secret"],
    [{ secret, displayName: "Gabi", acceptRules: "true", rulesVersion: 1 }, "acceptance as a string"],
  ] as [unknown, string][])("refuses %j (%s)", (body) => {
    expect(redeemInput.safeParse(body).success).toBe(false);
  });
});

describe("createGuestLinkInput", () => {
  it("defaults to one use without admission and the default expiry", () => {
    expect(createGuestLinkInput.parse({})).toEqual({ label: "", maxUses: 1, requiresAdmission: false, expiresAt: null });
  });

  it("reads the expiry as Berlin wall-clock time", () => {
    expect(createGuestLinkInput.parse({ expiresAt: "2026-12-01T18:00", maxUses: "5" })).toMatchObject({
      expiresAt: new Date("2026-12-01T17:00:00Z"),
      maxUses: 5,
    });
  });

  it.each([{ maxUses: 0 }, { maxUses: 501 }, { maxUses: "zwei" }, { expiresAt: "morgen" }, { label: "x".repeat(121) }])("refuses %j", (body) => {
    expect(createGuestLinkInput.safeParse(body).success).toBe(false);
  });
});
