import { beforeEach, describe, expect, it, vi } from "vitest";

/** The join action's edge; the session, the homeserver and Next's redirect are stubbed. */

const state = vi.hoisted(() => ({ joined: [] as string[] }));
vi.mock("next/navigation", () => ({
  redirect: (to: string) => {
    throw new Error(`redirect ${to}`);
  },
}));
vi.mock("@/lib/portal/runtime", () => ({ portalRuntime: () => ({ db: {}, config: {}, log: { info: () => {}, error: () => {} } }) }));
vi.mock("@/lib/portal/action-edge", () => ({ redirectActionCaller: async () => ({ person: { id: "p1" } }) }));
vi.mock("@/lib/auth/matrix-session", () => ({ matrixCredentials: () => ({ userId: "@p1:stadt.test", accessToken: "t" }) }));
vi.mock("@/lib/matrix/directory-space-client", () => ({ createDirectorySpaceHomeserver: () => ({}) }));
vi.mock("@/lib/rooms/open-rooms", () => ({
  joinOpenRoom: async (_deps: unknown, _matrix: unknown, roomId: string) => {
    state.joined.push(roomId);
  },
}));

const { joinOpenRoomAction } = await import("./actions");

const form = (roomId: string) => {
  const f = new FormData();
  f.set("roomId", roomId);
  return f;
};

beforeEach(() => {
  state.joined = [];
});

describe("joinOpenRoomAction", () => {
  it("joins a room id of any room version and opens the room", async () => {
    await expect(joinOpenRoomAction(form("!abcDEF123_-:stadt.test"))).rejects.toThrow("redirect /rooms/!abcDEF123_-%3Astadt.test");
    await expect(joinOpenRoomAction(form("!Qu7a0Bv12roomIdWithoutServer"))).rejects.toThrow("redirect /rooms/");
    expect(state.joined).toEqual(["!abcDEF123_-:stadt.test", "!Qu7a0Bv12roomIdWithoutServer"]);
  });

  it.each([["no-bang"], ["!"], [`!${"x".repeat(300)}`], ["!with space"]])("refuses %s before asking the homeserver", async (roomId) => {
    await expect(joinOpenRoomAction(form(roomId))).rejects.toThrow("redirect /?beitritt=unbekannt");
    expect(state.joined).toEqual([]);
  });
});
