import { describe, expect, it } from "vitest";
import { checkInviteTarget, type InviteRules } from "./invitations";

const rules: InviteRules = {
  serverName: "stadt.test",
  approvedServers: ["stadt.test"],
  isServiceUser: (id) => id.startsWith("@_stadtfunk_"),
};

describe("checkInviteTarget", () => {
  it.each([
    ["@anna:stadt.test", "@anna:stadt.test"],
    ["  @anna.amt:stadt.test ", "@anna.amt:stadt.test"],
    ["@anna", "@anna:stadt.test"],
    ["@a_b-c=d/e+f:stadt.test", "@a_b-c=d/e+f:stadt.test"],
  ])("accepts %j as %s", (raw, userId) => {
    expect(checkInviteTarget(raw, rules)).toEqual({ ok: true, userId });
  });

  it.each([
    ["", "malformed"],
    ["anna", "malformed"],
    ["@", "malformed"],
    ["@Anna:stadt.test", "malformed"],
    ["@anna:", "malformed"],
    ["@anna:stadt.test:port", "malformed"],
    ["#raum:stadt.test", "malformed"],
    ["@anna:stadt.test/../x", "malformed"],
    [`@${"a".repeat(260)}:stadt.test`, "malformed"],
    ["@mallory:evil.example", "server-not-approved"],
    ["@mallory:stadt.test.evil.example", "server-not-approved"],
    ["@mallory:stadt.test:8448", "server-not-approved"],
    ["@_stadtfunk_bot:stadt.test", "service-account"],
    ["@_stadtfunk_guest1", "service-account"],
  ])("refuses %j (%s)", (raw, reason) => {
    const result = checkInviteTarget(raw, rules);
    expect(result).toMatchObject({ ok: false, reason });
  });
});
