import { EventEmitter } from "node:events";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { auditLog, botOutbox } from "../../drizzle/schema";
import type { Db } from "../../lib/db/client";
import { managedRoomTemplate } from "../../lib/policy/power-levels";
import type { RoomPolicy } from "../../lib/policy/room-policy";
import { captureLogger } from "../shared/capture-logger";
import type { RoomStateEvent } from "../shared/homeserver";
import { createOutbox } from "../shared/outbox";
import { createTestDb, DB_SETUP_MS } from "../../lib/db/testing/test-db";
import { RoomWorkQueue } from "../shared/work-queue";
import { enforceRoomPolicy, POLICY_ACTOR } from "./enforce-room-policy";
import { start } from "./index";

let db: Db;
let close: () => Promise<void>;
beforeAll(async () => {
  ({ db, close } = await createTestDb());
}, DB_SETUP_MS);
afterAll(() => close());
beforeEach(async () => {
  await db.delete(auditLog);
  await db.delete(botOutbox);
});

const BOT = "@_stadtfunk_bot:stadt.test";
const ORGANISER = "@olga:stadt.test";
const ROOM = "!room:stadt.test";
const NOW = 1_700_000_000_000;
const policy: RoomPolicy = { powerLevelsTemplate: managedRoomTemplate(), isServiceUser: (u) => u.startsWith("@_stadtfunk_") };

/** A room on a homeserver that applies state writes, as far as the policy bot can tell. */
function fakeRoom(version: "11" | "12") {
  const users = version === "12" ? { [ORGANISER]: 100 } : { [ORGANISER]: 100, [BOT]: 100 };
  const state: RoomStateEvent[] = [
    { type: "m.room.create", state_key: "", sender: BOT, event_id: "$create", content: { room_version: version } },
    { type: "m.room.power_levels", state_key: "", sender: BOT, event_id: "$pl0", content: { ...managedRoomTemplate(), users } },
    { type: "m.room.join_rules", state_key: "", sender: BOT, event_id: "$jr0", content: { join_rule: "invite" } },
  ];
  const writes: { type: string; stateKey: string; content: Record<string, unknown> }[] = [];
  const messages: Record<string, unknown>[] = [];
  let counter = 0;
  const put = (type: string, stateKey: string, sender: string, content: Record<string, unknown>) => {
    const eventId = `$s${++counter}`;
    const i = state.findIndex((e) => e.type === type && e.state_key === stateKey);
    const event = { type, state_key: stateKey, sender, event_id: eventId, content };
    if (i >= 0) state[i] = event;
    else state.push(event);
    return event;
  };
  const client = {
    userId: BOT,
    getState: async () => structuredClone(state),
    sendState: async (_roomId: string, type: string, stateKey: string, content: Record<string, unknown>) => {
      writes.push({ type, stateKey, content });
      return put(type, stateKey, BOT, content).event_id;
    },
    sendEvent: async (_roomId: string, _type: string, _txnId: string, content: Record<string, unknown>) => {
      messages.push(content);
      return `$m${messages.length}`;
    },
  };
  return { client, state, writes, messages, put };
}

function deps(room: ReturnType<typeof fakeRoom>, isDryRun = false) {
  const { logger, lines } = captureLogger();
  return { lines, deps: { client: room.client, outbox: createOutbox(db), db, policy, isDryRun, logger } };
}

describe.each(["11", "12"] as const)("enforceRoomPolicy on room version %s", (version) => {
  it("restores lowered power levels, keeps the users map, audits and tells the room", async () => {
    const room = fakeRoom(version);
    const current = room.state.find((e) => e.type === "m.room.power_levels")!.content;
    const changed = room.put("m.room.power_levels", "", ORGANISER, { ...current, invite: 0, state_default: 0 });
    const { deps: d } = deps(room);

    const found = await enforceRoomPolicy(d, ROOM, changed.event_id);
    expect(found.map((e) => e.action)).toEqual(["policy.power-levels-restored"]);
    expect(room.writes).toEqual([
      { type: "m.room.power_levels", stateKey: "", content: expect.objectContaining({ invite: 50, state_default: 50, users: current.users }) },
    ]);
    const audit = await db.select().from(auditLog);
    expect(audit).toEqual([
      expect.objectContaining({
        actor: POLICY_ACTOR,
        action: "policy.power-levels-restored",
        subject: ROOM,
        details: expect.objectContaining({
          changedBy: ORGANISER,
          offendingEventId: changed.event_id,
          before: { invite: 0, state_default: 0 },
          after: { invite: 50, state_default: 50 },
          botUserId: BOT,
        }),
      }),
    ]);
    expect(room.messages).toEqual([expect.objectContaining({ msgtype: "m.notice", body: expect.stringContaining("Stadtfunk Regeln") })]);
  });

  it("does nothing more when asked again (the same change handled twice)", async () => {
    const room = fakeRoom(version);
    const changed = room.put("m.room.join_rules", "", ORGANISER, { join_rule: "public" });
    const { deps: d } = deps(room);
    await enforceRoomPolicy(d, ROOM, changed.event_id);
    await enforceRoomPolicy(d, ROOM, changed.event_id);
    expect(room.writes).toHaveLength(1);
    expect(await db.select().from(auditLog)).toHaveLength(1);
    expect(room.messages).toHaveLength(1);
  });

  it("in dry run only logs what it would do", async () => {
    const room = fakeRoom(version);
    room.put("im.vector.modular.widgets", "evil", ORGANISER, { type: "custom", url: "https://evil.example", name: "Umfrage" });
    const { deps: d, lines } = deps(room, true);
    const found = await enforceRoomPolicy(d, ROOM, "$trigger");
    expect(found).toHaveLength(1);
    expect(room.writes).toEqual([]);
    expect(room.messages).toEqual([]);
    expect(await db.select().from(auditLog)).toEqual([]);
    expect(lines).toContainEqual(
      expect.objectContaining({ msg: "policy: would enforce (dry run)", dryRun: true, action: "policy.widget-removed", stateKey: "evil" }),
    );
  });
});

describe("policy bot", () => {
  function started(opts: { managed?: boolean } = {}) {
    const room = fakeRoom("12");
    const events = new EventEmitter();
    const { logger } = captureLogger();
    const queue = new RoomWorkQueue(() => {});
    const bot = start({
      events,
      client: room.client,
      outbox: createOutbox(db),
      db,
      policy,
      isDryRun: false,
      logger,
      managedRooms: { isManaged: async () => opts.managed ?? true, listActive: async () => [ROOM] },
      filter: { isOwnUser: (u) => u === BOT, startedAt: NOW - 1_000, maxAgeMs: 60_000 },
      queue,
      now: () => NOW,
    });
    const emit = async (event: Record<string, unknown>) => {
      events.emit("room.event", ROOM, { room_id: ROOM, origin_server_ts: NOW, event_id: "$e", ...event });
      await new Promise((r) => setTimeout(r, 0));
      await queue.idle();
    };
    return { room, bot, emit };
  }

  it("looks at the room after a member's widget change and removes the widget", async () => {
    const { room, emit } = started();
    const widget = room.put("im.vector.modular.widgets", "w", ORGANISER, { type: "custom", url: "https://x" });
    await emit({ type: widget.type, state_key: "w", sender: ORGANISER, content: widget.content });
    expect(room.writes).toEqual([{ type: "im.vector.modular.widgets", stateKey: "w", content: {} }]);
  });

  it.each<[string, Record<string, unknown>, { managed?: boolean }]>([
    ["its own change", { type: "m.room.join_rules", state_key: "", sender: BOT, content: {} }, {}],
    ["a message", { type: "m.room.message", sender: ORGANISER, content: { body: "x" } }, {}],
    ["a topic change", { type: "m.room.topic", state_key: "", sender: ORGANISER, content: { topic: "x" } }, {}],
    ["an unmanaged room", { type: "m.room.join_rules", state_key: "", sender: ORGANISER, content: {} }, { managed: false }],
    ["an event from before the start", { type: "m.room.join_rules", state_key: "", sender: ORGANISER, content: {}, origin_server_ts: NOW - 5_000 }, {}],
  ])("does not look for %s", async (_name, event, opts) => {
    const { room, emit } = started(opts);
    room.put("m.room.join_rules", "", ORGANISER, { join_rule: "public" });
    await emit(event);
    expect(room.writes).toEqual([]);
  });

  it("sweeps every managed room at start and stops listening when stopped", async () => {
    const { room, bot, emit } = started();
    room.put("m.room.join_rules", "", ORGANISER, { join_rule: "public" });
    await bot.sweep();
    expect(room.writes).toEqual([{ type: "m.room.join_rules", stateKey: "", content: { join_rule: "invite" } }]);
    bot.stop();
    room.put("m.room.join_rules", "", ORGANISER, { join_rule: "public" });
    await emit({ type: "m.room.join_rules", state_key: "", sender: ORGANISER, content: { join_rule: "public" } });
    expect(room.writes).toHaveLength(1);
  });
});
