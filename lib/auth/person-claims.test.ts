import { describe, expect, it } from "vitest";
import { parseConfig } from "../config/load";
import { decideAccess, groupsFrom } from "./person-claims";

const oidc = parseConfig({ OIDC_ALLOWED_GROUPS: "stadtfunk-admins,bauamt,kaemmerei" }).oidc;

const anna = {
  sub: "ce5346e9",
  preferred_username: "anna.admin",
  name: "Anna Admin",
  email: "anna@stadt.example",
  groups: ["stadtfunk-admins", "it"],
};

describe("decideAccess", () => {
  it("maps an admin: departments without the admin group, role admin", () => {
    expect(decideAccess(anna, oidc)).toEqual({
      allowed: true,
      profile: {
        subject: "ce5346e9",
        username: "anna.admin",
        displayName: "Anna Admin",
        email: "anna@stadt.example",
        departments: ["it"],
        role: "admin",
      },
    });
  });

  it("keys the person on the configured claim, not on sub or e-mail", () => {
    const cfg = { ...oidc, subjectClaim: "oid" };
    const d = decideAccess({ ...anna, oid: "entra-object-id" }, cfg);
    expect(d.allowed && d.profile.subject).toBe("entra-object-id");
  });

  it.each([
    ["no group at all", { ...anna, groups: undefined }],
    ["only other groups", { ...anna, groups: ["praktikum"] }],
    ["groups as an empty list", { ...anna, groups: [] }],
  ])("refuses someone with %s", (_, claims) => {
    expect(decideAccess(claims, oidc)).toMatchObject({ allowed: false, reason: "not-in-allowed-groups" });
  });

  it("refuses a token without the subject claim", () => {
    expect(decideAccess({ ...anna, sub: undefined }, oidc)).toEqual({
      allowed: false,
      reason: "missing-subject",
      profile: null,
    });
  });

  it("lets everyone in when no groups are configured", () => {
    expect(decideAccess({ ...anna, groups: [] }, { ...oidc, allowedGroups: [] }).allowed).toBe(true);
  });

  it("falls back to the username for the display name", () => {
    const d = decideAccess({ ...anna, name: undefined }, oidc);
    expect(d.profile?.displayName).toBe("anna.admin");
  });
});

describe("groupsFrom", () => {
  it.each([
    [["/bauamt", "/it"], ["bauamt", "it"]],
    ["bauamt", ["bauamt"]],
    [["bauamt", "bauamt", 7, ""], ["bauamt"]],
    [undefined, []],
  ])("reads %j as %j", (input, expected) => {
    expect(groupsFrom(input)).toEqual(expected);
  });
});
