import { describe, expect, it } from "vitest";
import { judgeJoinRules } from "../policy/join-rules";
import { judgeRoomState, type RoomPolicy } from "../policy/room-policy";
import { INVITE_ONLY, isSameJoinRule, joinRuleFor } from "./join-rule";

const SPACE = "!bauamt:s.test";
const restricted = joinRuleFor("department", SPACE);

describe("join rules of managed rooms", () => {
  it("opens department and city rooms only through their space, never publicly", () => {
    expect(joinRuleFor("invited", null)).toEqual({ join_rule: "invite" });
    expect(joinRuleFor("city", "!city:s.test")).toEqual({ join_rule: "restricted", allow: [{ type: "m.room_membership", room_id: "!city:s.test" }] });
    expect(() => joinRuleFor("department", null)).toThrow();
  });

  it.each([
    ["the same restricted rule", { join_rule: "restricted", allow: [{ type: "m.room_membership", room_id: SPACE }] }, true],
    ["another space", { join_rule: "restricted", allow: [{ type: "m.room_membership", room_id: "!other:s.test" }] }, false],
    ["an extra allowed room", { join_rule: "restricted", allow: [{ type: "m.room_membership", room_id: SPACE }, { type: "m.room_membership", room_id: "!x:s.test" }] }, false],
    ["no allow list", { join_rule: "restricted" }, false],
    ["public", { join_rule: "public" }, false],
    ["knock_restricted", { join_rule: "knock_restricted", allow: [{ type: "m.room_membership", room_id: SPACE }] }, false],
  ])("compares %s", (_what, content, same) => {
    expect(isSameJoinRule(content, restricted)).toBe(same);
  });

  it("the policy keeps the intended restricted rule and restores it after any other change", () => {
    expect(judgeJoinRules({ join_rule: "restricted", allow: [{ type: "m.room_membership", room_id: SPACE }] }, restricted)).toBeNull();
    expect(judgeJoinRules({ join_rule: "public" }, restricted)).toEqual({ before: "public", corrected: restricted });
    expect(judgeJoinRules({ join_rule: "invite" }, restricted)).toEqual({ before: "invite", corrected: restricted });
    // Rooms without a recorded intent stay invitation-only, restricted or not.
    expect(judgeJoinRules({ join_rule: "restricted", allow: [{ type: "m.room_membership", room_id: SPACE }] })).toEqual({
      before: "restricted",
      corrected: INVITE_ONLY,
    });
  });

  it("names the reason for the audit log", () => {
    const policy = { powerLevelsTemplate: {}, isServiceUser: () => false } as unknown as RoomPolicy;
    const state = [{ type: "m.room.join_rules", state_key: "", sender: "@o:s.test", event_id: "$j", content: { join_rule: "public" } }];
    expect(judgeRoomState(state, policy, { joinRule: restricted })).toMatchObject([
      { action: "policy.join-rule-restored", reason: "join-rule-not-as-created", content: restricted },
    ]);
    expect(judgeRoomState(state, policy)).toMatchObject([{ reason: "join-rule-not-invite", content: { join_rule: "invite" } }]);
  });
});
