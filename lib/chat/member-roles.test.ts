import { describe, expect, it } from "vitest";
import { uvsPowerLevels } from "../jitsi/room-power";
import { powerLevelOf, roomPowerState, roomPowerState as roomPowerFromState, type StateEventLike } from "../matrix/power-levels";
import { memberRole, serverNameOf, sortMembers, type MemberEntry } from "./member-roles";

const SERVER = "stadtfunk.test";
const SERVICE = "@stadtfunk:stadtfunk.test";
const power = roomPowerFromState([
  { type: "m.room.create", state_key: "", sender: SERVICE, content: { room_version: "12" } },
  {
    type: "m.room.power_levels",
    state_key: "",
    content: { users: { "@anna:stadtfunk.test": 100, "@mo:stadtfunk.test": 50, "@p:partner.example": 50 }, users_default: 0, kick: 50 },
  },
]);

describe("member roles from power levels", () => {
  it.each([
    [SERVICE, "organisation"],
    ["@anna:stadtfunk.test", "organisation"],
    ["@mo:stadtfunk.test", "moderation"],
    ["@p:partner.example", "moderation"],
    ["@bernd:stadtfunk.test", "member"],
    ["@gast:partner.example", "guest"],
  ])("%s is %s", (userId, role) => {
    expect(memberRole(userId, power, SERVER)).toBe(role);
  });

  it("uses the kick level as the moderation threshold", () => {
    const strict = roomPowerFromState([
      { type: "m.room.power_levels", state_key: "", content: { users: { "@mo:stadtfunk.test": 50 }, kick: 75 } },
    ]);
    expect(memberRole("@mo:stadtfunk.test", strict, SERVER)).toBe("member");
  });

  it("treats everyone as a member without power levels", () => {
    expect(memberRole("@x:stadtfunk.test", null, SERVER)).toBe("member");
    expect(serverNameOf("@x:host:8448")).toBe("host:8448");
  });

  it("sorts by role, then joined before invited, then by name", () => {
    const m = (userId: string, name: string, role: MemberEntry["role"], membership = "join"): MemberEntry => ({ userId, name, role, membership });
    const sorted = sortMembers([
      m("@z", "Zoe", "member"),
      m("@b", "Änne", "member", "invite"),
      m("@a", "anton", "member"),
      m("@o", "Olga", "organisation"),
      m("@g", "Gustav", "guest"),
    ]);
    expect(sorted.map((x) => x.name)).toEqual(["Olga", "anton", "Zoe", "Änne", "Gustav"]);
  });
});

describe("power levels read in the browser", () => {
  const levels = (content: Record<string, unknown>): StateEventLike => ({ type: "m.room.power_levels", state_key: "", content });
  const create = (room_version: string, extra: Record<string, unknown> = {}): StateEventLike => ({
    type: "m.room.create",
    state_key: "",
    sender: SERVICE,
    content: { room_version, ...extra },
  });
  const cases: [string, StateEventLike[]][] = [
    ["room v12 with creators", [create("12", { additional_creators: ["@co:stadtfunk.test", 7] }), levels({ users: { "@anna:stadtfunk.test": 100 } })]],
    ["room v11: creators are ordinary", [create("11"), levels({ users: { [SERVICE]: 100 }, users_default: 10 })]],
    ["string levels", [create("9"), levels({ users: { "@anna:stadtfunk.test": "50" }, users_default: "5" })]],
    ["malformed users", [create("12"), levels({ users: "nope", users_default: 1.5 })]],
    ["no levels", [create("12")]],
  ];
  const people = [SERVICE, "@co:stadtfunk.test", "@anna:stadtfunk.test", "@nobody:stadtfunk.test"];

  it.each(cases)("agrees with lib/jitsi/room-power (%s)", (_name, state) => {
    const ours = roomPowerFromState(state);
    const theirs = roomPowerState(state);
    expect(ours).toEqual(theirs);
    for (const userId of people) expect(powerLevelOf(ours, userId)).toBe(theirs ? uvsPowerLevels(theirs, userId).user : 0);
  });
});
