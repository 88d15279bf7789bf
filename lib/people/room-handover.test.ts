import { describe, expect, it } from "vitest";
import { fakeRoomState } from "./testing/fake-homeserver";
import { roomAdmins } from "./room-handover";

const LEAVER = "@dieter:s.test";
const BERND = "@bernd:s.test";
const BOT = "@_stadtfunk_bot:s.test";
const GONE = "@gerd:s.test";
const inactive = (u: string) => u === BOT || u === GONE;

describe("roomAdmins", () => {
  it.each([
    ["the leaver alone at 100", fakeRoomState({ creator: LEAVER, users: { [LEAVER]: 100 }, members: [LEAVER, BERND] }), true, []],
    ["another joined admin", fakeRoomState({ creator: LEAVER, users: { [LEAVER]: 100, [BERND]: 100 }, members: [LEAVER, BERND] }), true, [BERND]],
    ["another admin who left the room", fakeRoomState({ creator: LEAVER, users: { [LEAVER]: 100, [BERND]: 100 }, members: [LEAVER] }), true, []],
    ["only a bot and another leaver besides", fakeRoomState({ creator: LEAVER, users: { [LEAVER]: 100, [BOT]: 100, [GONE]: 100 }, members: [LEAVER, BOT, GONE] }), true, []],
    ["a moderator only (50 < 100 needed)", fakeRoomState({ creator: LEAVER, users: { [LEAVER]: 100, [BERND]: 50 }, members: [LEAVER, BERND] }), true, []],
    ["the leaver as a mere member", fakeRoomState({ creator: BERND, users: { [BERND]: 100 }, members: [LEAVER, BERND] }), false, [BERND]],
    ["a room-v12 creator (not in users)", fakeRoomState({ creator: LEAVER, roomVersion: "12", users: {}, members: [LEAVER, BERND] }), true, []],
    ["a room-v12 creator and an admin", fakeRoomState({ creator: LEAVER, roomVersion: "12", users: { [BERND]: 100 }, members: [LEAVER, BERND] }), true, [BERND]],
  ])("%s", (_, state, leaverIsAdmin, otherAdmins) => {
    expect(roomAdmins(state, LEAVER, inactive)).toEqual({ leaverIsAdmin, otherAdmins });
  });

  it("reads the level needed to change power levels from the room", () => {
    const state = fakeRoomState({ creator: LEAVER, users: { [LEAVER]: 100, [BERND]: 50 }, members: [LEAVER, BERND] });
    const pl = state.find((e) => e.type === "m.room.power_levels")!;
    pl.content.events = { "m.room.power_levels": 50 };
    expect(roomAdmins(state, LEAVER, inactive).otherAdmins).toEqual([BERND]);
  });

  it("treats the creator as the only admin when a room has no power levels", () => {
    const state = fakeRoomState({ creator: LEAVER, members: [LEAVER, BERND] }).filter((e) => e.type !== "m.room.power_levels");
    expect(roomAdmins(state, LEAVER, inactive)).toEqual({ leaverIsAdmin: true, otherAdmins: [] });
  });
});
