import { describe, expect, it } from "vitest";
import { allBotUserIds } from "../../lib/matrix/bot-users";
import { captureLogger } from "./capture-logger";
import type { BotClient, RoomStateEvent } from "./homeserver";
import { moduleBotClient } from "./module-bot";

const MAIN = "@_sf_bot:city.test";
const POLICY = "@_sf_regeln:city.test";
const ROOM = "!managed:city.test";

/** One room's state on a stub homeserver; every call is recorded as "actor call". */
function stubHomeserver(state: RoomStateEvent[]) {
  const calls: string[] = [];
  const client = (userId: string): BotClient => ({
    userId,
    sendEvent: async (_r, type) => (calls.push(`${userId} send ${type}`), "$sent"),
    sendState: async (_r, type, _k, content) => {
      calls.push(`${userId} state ${type}`);
      state = [...state.filter((e) => e.type !== type), { type, state_key: "", sender: userId, content }];
      return "$state";
    },
    getState: async () => (calls.push(`${userId} getState`), state),
    invite: async (_r, invitee) => void calls.push(`${userId} invite ${invitee}`),
    joinRoom: async () => void calls.push(`${userId} join`),
    createRoom: async () => (calls.push(`${userId} createRoom`), "!new:city.test"),
    userExists: async () => true,
    getAccountData: async () => null,
    setAccountData: async () => {},
  });
  return { calls, client, levels: () => state.find((e) => e.type === "m.room.power_levels")?.content };
}

const levels = (users: Record<string, number>): RoomStateEvent => ({ type: "m.room.power_levels", state_key: "", sender: MAIN, content: { users, users_default: 0 } });
const member = (userId: string, membership: string): RoomStateEvent => ({ type: "m.room.member", state_key: userId, sender: MAIN, content: { membership } });

describe("a module bot acting as its own user", () => {
  it("in an older managed room: the main bot grants its level and invites it once, then it acts as itself", async () => {
    const hs = stubHomeserver([levels({ [MAIN]: 100 })]);
    const client = moduleBotClient({ main: hs.client(MAIN), module: hs.client(POLICY), powerLevel: 100, isManaged: async () => true, logger: captureLogger().logger });
    await client.sendEvent(ROOM, "m.room.message", "t1", {});
    await client.sendEvent(ROOM, "m.room.message", "t2", {});
    expect(hs.calls).toEqual([`${MAIN} getState`, `${MAIN} state m.room.power_levels`, `${MAIN} invite ${POLICY}`, `${POLICY} join`, `${POLICY} send m.room.message`, `${POLICY} send m.room.message`]);
    expect((hs.levels()!.users as Record<string, number>)[POLICY]).toBe(100);
  });

  it("in a new room (invited with its level at creation) only joins", async () => {
    const hs = stubHomeserver([levels({ [POLICY]: 100 }), member(POLICY, "invite")]);
    const client = moduleBotClient({ main: hs.client(MAIN), module: hs.client(POLICY), powerLevel: 100, isManaged: async () => true, logger: captureLogger().logger });
    expect(await client.actingUserIn(ROOM)).toBe(POLICY);
    expect(hs.calls).toEqual([`${MAIN} getState`, `${POLICY} join`]);
  });

  it("never enters a room the service does not manage: there the main bot acts", async () => {
    const hs = stubHomeserver([levels({ [MAIN]: 100 })]);
    const client = moduleBotClient({ main: hs.client(MAIN), module: hs.client(POLICY), powerLevel: 100, isManaged: async () => false, logger: captureLogger().logger });
    await client.sendEvent("!admins:city.test", "m.room.message", "t1", {});
    expect(hs.calls).toEqual([`${MAIN} send m.room.message`]);
    expect(client.userId).toBe(POLICY);
  });

  it("falls back to the main bot while it cannot join, and tries again at the next need", async () => {
    const hs = stubHomeserver([levels({ [MAIN]: 100 })]);
    let isJoinFailing = true;
    const policy = { ...hs.client(POLICY), joinRoom: async () => { if (isJoinFailing) throw new Error("M_FORBIDDEN"); hs.calls.push(`${POLICY} join`); } };
    const client = moduleBotClient({ main: hs.client(MAIN), module: policy, powerLevel: 100, isManaged: async () => true, logger: captureLogger().logger });
    expect(await client.actingUserIn(ROOM)).toBe(MAIN);
    isJoinFailing = false;
    expect(await client.actingUserIn(ROOM)).toBe(POLICY);
  });
});

describe("the service's bot users", () => {
  it("are the main bot and the module bots, derived from the main bot's id", () => {
    expect(allBotUserIds("@_sf_bot:city.test")).toEqual(["@_sf_bot:city.test", "@_sf_regeln:city.test", "@_sf_einladungen:city.test"]);
  });
});
