import { describe, expect, it } from "vitest";
import type { StateEvent } from "../matrix/service-client";
import { requireRoomAdmin } from "./room-partners";

const BOT = "@_stadtfunk_bot:city.test";
const state: StateEvent[] = [
  { type: "m.room.create", state_key: "", sender: BOT, content: { room_version: "12" } },
  {
    type: "m.room.power_levels",
    state_key: "",
    sender: BOT,
    content: { users: { "@org:city.test": 100, "@mod:city.test": 50 }, events: { "m.room.server_acl": 100 }, state_default: 50 },
  },
  ...["@org:city.test", "@mod:city.test", "@member:city.test"].map((u) => ({ type: "m.room.member", state_key: u, sender: u, content: { membership: "join" } })),
  { type: "m.room.member", state_key: "@left:city.test", sender: "@left:city.test", content: { membership: "leave" } },
];
const service = { getState: async () => state };

describe("who may open a room to partners", () => {
  it("is the room's admin by the level the room asks for m.room.server_acl, read from the homeserver", async () => {
    await expect(requireRoomAdmin(service, "!r:city.test", "@org:city.test")).resolves.toBeTruthy();
    for (const userId of ["@mod:city.test", "@member:city.test", "@left:city.test", "@stranger:city.test", null]) {
      await expect(requireRoomAdmin(service, "!r:city.test", userId)).rejects.toMatchObject({ category: "forbidden" });
    }
  });
});
