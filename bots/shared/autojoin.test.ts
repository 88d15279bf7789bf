import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { isAcceptableInvite, judgeInvite, setupAutojoin, type InvitePolicy } from "./autojoin";
import { captureLogger } from "./capture-logger";

const BOT = "@_stadtfunk_bot:stadt.test";
const policy: InvitePolicy = { serverName: "stadt.test", botUserIds: new Set([BOT]) };

function invite(overrides: Record<string, unknown> = {}) {
  return {
    type: "m.room.member",
    sender: "@anna:stadt.test",
    state_key: BOT,
    event_id: "$inv",
    content: { membership: "invite" },
    ...overrides,
  };
}

describe("isAcceptableInvite", () => {
  it("accepts a local user inviting a bot", () => {
    expect(isAcceptableInvite(invite(), policy)).toBe(true);
  });

  it.each<[string, unknown]>([
    ["a user of another server", invite({ sender: "@mallory:evil.example" })],
    ["a server name that only starts like ours", invite({ sender: "@mallory:stadt.test.evil.example" })],
    ["our server name with another port", invite({ sender: "@mallory:stadt.test:8448" })],
    ["a namespace user that is not a bot", invite({ state_key: "@_stadtfunk_guest1:stadt.test" })],
    ["a join, not an invite", invite({ content: { membership: "join" } })],
    ["another event type", invite({ type: "m.room.message" })],
    ["no sender", invite({ sender: undefined })],
    ["not an object", "invite"],
  ])("rejects %s", (_name, event) => {
    expect(isAcceptableInvite(event, policy)).toBe(false);
  });
});

describe("judgeInvite", () => {
  it("names why an invite is ignored", () => {
    expect(judgeInvite(invite({ sender: "@mallory:evil.example" }), policy)).toBe("outsider");
    expect(judgeInvite(invite({ state_key: "@someone:stadt.test" }), policy)).toBe("not-a-bot");
    expect(judgeInvite(invite({ content: { membership: "leave" } }), policy)).toBe("not-an-invite");
    expect(judgeInvite(invite(), policy)).toBe("accept");
  });
});

describe("setupAutojoin", () => {
  const tick = () => new Promise((r) => setTimeout(r, 0));

  it("joins as the invited bot only for acceptable invites into managed rooms, and stops listening", async () => {
    const events = new EventEmitter();
    const joins: string[] = [];
    const { logger, lines } = captureLogger();
    const stop = setupAutojoin({
      events,
      policy,
      isManagedRoom: async (roomId) => roomId !== "!private:stadt.test",
      join: async (userId, roomId) => joins.push(`${userId} ${roomId}`),
      logger,
    });
    events.emit("room.invite", "!a:stadt.test", invite());
    events.emit("room.invite", "!b:stadt.test", invite({ sender: "@mallory:evil.example" }));
    events.emit("room.invite", "!private:stadt.test", invite());
    await tick();
    stop();
    events.emit("room.invite", "!c:stadt.test", invite());
    await tick();
    expect(joins).toEqual([`${BOT} !a:stadt.test`]);
    expect(lines).toContainEqual(expect.objectContaining({ msg: "invite ignored", reason: "outsider", roomId: "!b:stadt.test" }));
    expect(lines).toContainEqual(expect.objectContaining({ msg: "invite ignored", reason: "unmanaged-room", roomId: "!private:stadt.test" }));
  });

  it("logs a failed join as a warning instead of crashing", async () => {
    const events = new EventEmitter();
    const { logger, lines } = captureLogger();
    setupAutojoin({
      events,
      policy,
      isManagedRoom: async () => true,
      join: async () => {
        throw new Error("M_FORBIDDEN");
      },
      logger,
    });
    events.emit("room.invite", "!a:stadt.test", invite());
    await new Promise((r) => setTimeout(r, 0));
    expect(lines).toContainEqual(
      expect.objectContaining({ level: "warn", msg: "could not join room after invite", roomId: "!a:stadt.test" }),
    );
  });
});
