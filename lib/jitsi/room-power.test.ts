import { describe, expect, it } from "vitest";
import { CREATOR_POWER_LEVEL, roomPowerState, type StateEventLike } from "../matrix/power-levels";
import { uvsPowerLevels } from "./room-power";

describe("uvsPowerLevels", () => {
  it.each([
    ["a listed user", { users: { "@a:s": 75 }, state_default: 50 }, undefined, 75, 50],
    ["users_default", { users: {}, users_default: 10, state_default: 50 }, undefined, 10, 50],
    ["no users_default and no state_default", { users: {} }, undefined, 0, 50],
    ["string levels (room versions < 10)", { users: { "@a:s": "100" }, state_default: "25" }, undefined, 100, 25],
    ["a room v12 creator", { users: {}, state_default: 50 }, ["@a:s"], CREATOR_POWER_LEVEL, 50],
  ])("%s", (_what, content, creators, user, stateDefault) => {
    const out = uvsPowerLevels({ content, creators }, "@a:s");
    expect(out.user).toBe(user);
    expect(out.room.state_default).toBe(stateDefault);
    expect(out.room).not.toHaveProperty("users");
  });

  it("keeps the other room levels as they are", () => {
    const content = { users: { "@a:s": 100 }, kick: 50, events: { "m.room.name": 50 }, state_default: 50 };
    expect(uvsPowerLevels({ content }, "@a:s").room).toStrictEqual({
      kick: 50,
      events: { "m.room.name": 50 },
      state_default: 50,
    });
  });
});

describe("roomPowerState", () => {
  const levels: StateEventLike = { type: "m.room.power_levels", state_key: "", sender: "@a:s", content: { users: {} } };
  const create = (room_version: string, extra: Record<string, unknown> = {}): StateEventLike => ({
    type: "m.room.create",
    state_key: "",
    sender: "@a:s",
    content: { room_version, ...extra },
  });

  it.each([
    ["12", ["@a:s", "@b:s"]],
    ["13", ["@a:s", "@b:s"]],
    ["org.matrix.hydra.11", ["@a:s", "@b:s"]],
    ["11", undefined],
    ["10", undefined],
  ])("room version %s: creators %j", (version, creators) => {
    const state = roomPowerState([create(version, { additional_creators: ["@b:s", 7] }), levels]);
    expect(state).toStrictEqual(creators ? { content: levels.content, creators } : { content: levels.content });
  });

  it("is null without a power levels event", () => {
    expect(roomPowerState([create("12")])).toBeNull();
  });
});
