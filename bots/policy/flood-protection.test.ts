import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { auditLog, botOutbox } from "../../drizzle/schema";
import { floodRestrictions } from "../../drizzle/tables/policy";
import type { Db } from "../../lib/db/client";
import { createTestDb, DB_SETUP_MS } from "../../lib/db/testing/test-db";
import { FloodLimiter } from "../../lib/policy/flood-limiter";
import { DEFAULT_POLICY } from "../../lib/policy/usage-policy";
import { captureLogger } from "../shared/capture-logger";
import type { RoomStateEvent } from "../shared/homeserver";
import { createOutbox } from "../shared/outbox";
import { countMessage, liftDueRestrictions, type FloodDeps } from "./flood-protection";

let db: Db;
let close: () => Promise<void>;
beforeAll(async () => {
  ({ db, close } = await createTestDb());
}, DB_SETUP_MS);
afterAll(() => close());
beforeEach(async () => {
  await db.delete(auditLog);
  await db.delete(botOutbox);
  await db.delete(floodRestrictions);
});

const ROOM = "!r:stadt.test";
const BOT = "@_stadtfunk_bot:stadt.test";
const MOD = "@mod:stadt.test";
const MEMBER = "@member:stadt.test";
const policy = { ...DEFAULT_POLICY, flood: { enabled: true, messages: 2, windowSeconds: 60, muteMinutes: 5 } };

/** A room whose power levels the fake homeserver keeps, and the writes the bot made. */
function setup(memberLevel?: number) {
  let clock = 1_700_000_000_000;
  const users: Record<string, number> = { [MOD]: 50, ...(memberLevel !== undefined ? { [MEMBER]: memberLevel } : {}) };
  let levels: Record<string, unknown> = { events_default: 0, users };
  const writes: Record<string, unknown>[] = [];
  const client = {
    userId: BOT,
    getState: async (): Promise<RoomStateEvent[]> => [
      { type: "m.room.create", state_key: "", sender: BOT, event_id: "$c", content: { room_version: "12" } },
      { type: "m.room.power_levels", state_key: "", sender: BOT, event_id: "$pl", content: structuredClone(levels) },
    ],
    sendState: async (_room: string, _type: string, _key: string, content: Record<string, unknown>) => {
      writes.push(content);
      levels = content;
      return `$w${writes.length}`;
    },
    sendEvent: async () => "$m",
  };
  const deps: FloodDeps = {
    client,
    outbox: createOutbox(db),
    db,
    limiter: new FloodLimiter(),
    isDryRun: false,
    logger: captureLogger("info").logger,
    report: async () => {},
    now: () => clock,
  };
  let n = 0;
  const message = (sender: string) => countMessage(deps, { event_id: `$e${++n}`, room_id: ROOM, sender, origin_server_ts: clock }, policy);
  return {
    deps,
    writes,
    message,
    levels: () => levels,
    advance: (ms: number) => {
      clock += ms;
    },
  };
}

describe("flood protection", () => {
  it("warns, then mutes below events_default with a durable row, and lifts back to the previous level", async () => {
    const room = setup(10);
    expect([await room.message(MEMBER), await room.message(MEMBER), await room.message(MEMBER), await room.message(MEMBER)]).toEqual(["ok", "ok", "warned", "restricted"]);
    expect((room.levels().users as Record<string, number>)[MEMBER]).toBe(-1);
    const [row] = await db.select().from(floodRestrictions);
    expect(row).toMatchObject({ roomId: ROOM, userId: MEMBER, previousLevel: 10, liftedAt: null });

    expect(await liftDueRestrictions(room.deps)).toBe(0);
    room.advance(5 * 60_000);
    expect(await liftDueRestrictions(room.deps)).toBe(1);
    expect((room.levels().users as Record<string, number>)[MEMBER]).toBe(10);
    expect(await liftDueRestrictions(room.deps)).toBe(0);
    const actions = (await db.select().from(auditLog)).map((e) => e.action).sort();
    expect(actions).toEqual(["policy.flood-lifted", "policy.flood-restricted", "policy.flood-warned"]);
  });

  it("removes the entry of someone who had no level of their own", async () => {
    const room = setup();
    for (let i = 0; i < 4; i++) await room.message(MEMBER);
    room.advance(5 * 60_000);
    await liftDueRestrictions(room.deps);
    expect(room.levels().users).toEqual({ [MOD]: 50 });
  });

  it("leaves a level a moderator changed during the mute alone, and closes the row", async () => {
    const room = setup();
    for (let i = 0; i < 4; i++) await room.message(MEMBER);
    await room.deps.client.sendState(ROOM, "m.room.power_levels", "", { ...room.levels(), users: { [MOD]: 50, [MEMBER]: 0 } });
    const writesBefore = room.writes.length;
    room.advance(5 * 60_000);
    expect(await liftDueRestrictions(room.deps)).toBe(1);
    expect(room.writes).toHaveLength(writesBefore);
    expect((await db.select().from(floodRestrictions))[0]?.liftedAt).toBeInstanceOf(Date);
  });

  it("never limits moderators", async () => {
    const room = setup();
    const verdicts = [];
    for (let i = 0; i < 6; i++) verdicts.push(await room.message(MOD));
    expect(verdicts).not.toContain("restricted");
    expect(room.writes).toEqual([]);
  });
});
