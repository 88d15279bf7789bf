import { describe, expect, it } from "vitest";
import { cleanGuestName, guestDisplayName, guestNameProblem } from "./guest-names";
import { guestLocalpartPrefix, isGuestUserId, localpartOf, newGuestUserId } from "./guest-user-id";

describe("guest names", () => {
  it.each([
    ["  Gabi   Gast ", "Gabi Gast"],
    ["Gabi Gast (Gast)", "Gabi Gast"],
    ["Gabi (gast) (Gast)", "Gabi"],
    ["Jane Doe (guest)", "Jane Doe"],
    ["Ali\u202Eevil", "Alievil"],
    ["Zeile\nzwei", "Zeile zwei"],
    ["Jürgen Müller-Lüdenscheidt", "Jürgen Müller-Lüdenscheidt"],
  ])("cleans %j to %j", (raw, cleaned) => {
    expect(cleanGuestName(raw)).toBe(cleaned);
  });

  it.each([
    ["", "name-too-short"],
    ["A", "name-too-short"],
    ["x".repeat(61), "name-too-long"],
  ])("refuses %j", (name, problem) => {
    expect(guestNameProblem(cleanGuestName(name))).toBe(problem);
  });

  it("always marks the name as a guest's", () => {
    expect(guestDisplayName("Gabi Gast")).toBe("Gabi Gast (Gast)");
  });
});

describe("guest Matrix ids", () => {
  it("are random ids under the guest prefix inside the service's namespace", () => {
    const a = newGuestUserId("_stadtfunk_", "stadt.example");
    expect(a).toMatch(/^@_stadtfunk_guest_[0-9a-f]{20}:stadt\.example$/);
    expect(newGuestUserId("_stadtfunk_", "stadt.example")).not.toBe(a);
    expect(isGuestUserId(a, "_stadtfunk_", "stadt.example")).toBe(true);
    expect(localpartOf(a).startsWith(guestLocalpartPrefix("_stadtfunk_"))).toBe(true);
  });
  it.each(["@_stadtfunk_bot:stadt.example", "@_stadtfunk_guest_1:other.example", "@anna:stadt.example"])("%s is not a guest", (id) => {
    expect(isGuestUserId(id, "_stadtfunk_", "stadt.example")).toBe(false);
  });
});
