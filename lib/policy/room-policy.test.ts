import { describe, expect, it } from "vitest";
import { managedRoomTemplate } from "./power-levels";
import { judgeRoomState, type PolicyStateEvent, type RoomPolicy } from "./room-policy";

const BOT = "@_stadtfunk_bot:stadt.test";
const ORGANISER = "@olga:stadt.test";
const policy: RoomPolicy = {
  powerLevelsTemplate: managedRoomTemplate(),
  isServiceUser: (id) => id.startsWith("@_stadtfunk_"),
};

function state(version: "11" | "12", over: PolicyStateEvent[] = []): PolicyStateEvent[] {
  const users = version === "12" ? { [ORGANISER]: 100 } : { [ORGANISER]: 100, [BOT]: 100 };
  const base: PolicyStateEvent[] = [
    { type: "m.room.create", state_key: "", sender: BOT, content: { room_version: version } },
    { type: "m.room.power_levels", state_key: "", sender: BOT, content: { ...managedRoomTemplate(), users } },
    { type: "m.room.join_rules", state_key: "", sender: BOT, content: { join_rule: "invite" } },
    {
      type: "im.vector.modular.widgets",
      state_key: "jitsi_1",
      sender: BOT,
      content: { type: "jitsi", url: "https://meet.stadt.test/x", name: "Call" },
    },
    { type: "m.room.member", state_key: ORGANISER, sender: ORGANISER, content: { membership: "join" } },
  ];
  const keyOf = (e: PolicyStateEvent) => `${e.type}|${e.state_key}`;
  const replaced = new Map(over.map((e) => [keyOf(e), e]));
  return [...base.map((e) => replaced.get(keyOf(e)) ?? e), ...over.filter((e) => !base.some((b) => keyOf(b) === keyOf(e)))];
}

describe.each(["11", "12"] as const)("judgeRoomState on room version %s", (version) => {
  it("finds nothing to do in a room as created", () => {
    expect(judgeRoomState(state(version), policy)).toEqual([]);
  });

  it.each<[string, PolicyStateEvent, Record<string, unknown>]>([
    [
      "lowered power levels",
      {
        type: "m.room.power_levels",
        state_key: "",
        sender: ORGANISER,
        event_id: "$pl",
        content: { ...managedRoomTemplate(), invite: 0, state_default: 0, users: { [ORGANISER]: 100 } },
      },
      {
        action: "policy.power-levels-restored",
        reason: "power-levels-below-template",
        before: { invite: 0, state_default: 0 },
        after: { invite: 50, state_default: 50 },
        eventId: "$pl",
        changedBy: ORGANISER,
      },
    ],
    [
      "a public join rule",
      { type: "m.room.join_rules", state_key: "", sender: ORGANISER, content: { join_rule: "public" } },
      { action: "policy.join-rule-restored", before: { join_rule: "public" }, after: { join_rule: "invite" }, content: { join_rule: "invite" } },
    ],
    [
      "a knock join rule",
      { type: "m.room.join_rules", state_key: "", sender: ORGANISER, content: { join_rule: "knock" } },
      { action: "policy.join-rule-restored", reason: "join-rule-not-invite" },
    ],
    [
      "a Jitsi widget a member added",
      { type: "im.vector.modular.widgets", state_key: "w2", sender: ORGANISER, content: { type: "jitsi", url: "https://meet.jit.si/x" } },
      { action: "policy.widget-removed", reason: "not-added-by-service", stateKey: "w2", content: {} },
    ],
    [
      "a custom widget a member added (spec'd type)",
      { type: "m.widget", state_key: "w3", sender: ORGANISER, content: { type: "m.custom", url: "https://evil.example" } },
      { action: "policy.widget-removed", reason: "not-added-by-service", before: { type: "m.custom", url: "https://evil.example", name: undefined } },
    ],
    [
      "a non-Jitsi widget written by the service",
      { type: "im.vector.modular.widgets", state_key: "w4", sender: BOT, content: { type: "m.etherpad", url: "https://pad" } },
      { action: "policy.widget-removed", reason: "type-not-approved" },
    ],
    [
      "our widget overwritten by a member",
      { type: "im.vector.modular.widgets", state_key: "jitsi_1", sender: ORGANISER, content: { type: "jitsi", url: "https://elsewhere" } },
      { action: "policy.widget-removed", stateKey: "jitsi_1" },
    ],
  ])("restores the rules after %s", (_name, changed, expected) => {
    const found = judgeRoomState(state(version, [changed]), policy);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject(expected);
  });

  it.each<[string, PolicyStateEvent]>([
    ["a removed widget", { type: "im.vector.modular.widgets", state_key: "jitsi_1", sender: ORGANISER, content: {} }],
    ["a raised requirement", { type: "m.room.power_levels", state_key: "", sender: ORGANISER, content: { ...managedRoomTemplate(), invite: 100 } }],
    ["a changed topic", { type: "m.room.topic", state_key: "", sender: ORGANISER, content: { topic: "neu" } }],
    ["a power-levels event with a state key (not the room's levels)", { type: "m.room.power_levels", state_key: "x", sender: ORGANISER, content: { invite: 0 } }],
  ])("leaves %s alone", (_name, changed) => {
    expect(judgeRoomState(state(version, [changed]), policy)).toEqual([]);
  });

  it("reports every broken rule at once", () => {
    const found = judgeRoomState(
      state(version, [
        { type: "m.room.join_rules", state_key: "", sender: ORGANISER, content: { join_rule: "public" } },
        { type: "m.widget", state_key: "w", sender: ORGANISER, content: { type: "custom", url: "https://x" } },
      ]),
      policy,
    );
    expect(found.map((e) => e.action)).toEqual(["policy.join-rule-restored", "policy.widget-removed"]);
  });
});
