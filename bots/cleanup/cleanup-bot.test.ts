import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { people, rooms } from "../../drizzle/schema";
import { lifecycleJobs, roomRetention } from "../../drizzle/tables/lifecycle";
import { partners, roomPartners } from "../../drizzle/tables/partners";
import { createTestDb, DB_SETUP_MS, type TestDb } from "../../lib/db/testing/test-db";
import type { LifecycleHomeserver } from "../../lib/lifecycle/lifecycle-homeserver";
import { dryRunCsv } from "../../lib/lifecycle/room-plan";
import { DEFAULT_RETENTION_POLICY } from "../../lib/lifecycle/retention-policy";
import { captureLogger } from "../shared/capture-logger";
import { createOutbox } from "../shared/outbox";
import { start } from "./index";

/** The bot module's timer and stop, against a stubbed homeserver (the real one is in tests/integration/lifecycle*). */
describe("cleanup bot", () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb();
  }, DB_SETUP_MS);
  afterAll(async () => t?.close());

  async function dueRoom(matrixRoomId: string): Promise<void> {
    const [organiser] = await t.db.insert(people).values({ subject: randomUUID(), displayName: "O" }).returning();
    const now = Date.now();
    const [room] = await t.db
      .insert(rooms)
      .values({
        matrixRoomId,
        kind: "meeting",
        name: "Alt",
        organiserId: organiser!.id,
        endsAt: new Date(now - 40 * 86_400_000),
        access: "invited",
        conferenceId: "c",
        widgetId: "w",
        idempotencyKey: randomUUID(),
        status: "active",
      })
      .returning();
    await t.db.insert(roomRetention).values({ roomId: room!.id, warnedFor: new Date(now - 86_400_000), warnedAt: new Date(now - 8 * 86_400_000) });
  }

  function stubHomeserver(over: Partial<LifecycleHomeserver> = {}): LifecycleHomeserver & { deleted: string[] } {
    const deleted: string[] = [];
    return {
      deleted,
      requestRoomDeletion: async (roomId) => (deleted.push(roomId), `del-${roomId}`),
      deleteStatus: async () => ({ status: "complete" }),
      latestDeleteStatusOfRoom: async () => null,
      roomExists: async () => false,
      deactivateAndErase: async () => {},
      lastActivityAt: async () => null,
      ...over,
    };
  }

  const options = (hs: LifecycleHomeserver) => ({
    db: t.db,
    bot: { userId: "@_stadtfunk_bot:stadt.test", sendEvent: async () => "$e", sendState: async () => "$s" },
    outbox: createOutbox(t.db),
    homeserver: { homeserverUrl: "http://hs.invalid", adminToken: "a", asToken: "b" },
    portalUrl: "http://portal.invalid",
    logger: captureLogger("silent").logger,
    intervalMs: 20,
    parallel: 2,
    hs,
  });

  it("runs a pass on its interval and stops cleanly", async () => {
    await dueRoom("!tick:stadt.test");
    const hs = stubHomeserver();
    const bot = start(options(hs));
    const deadline = Date.now() + 5_000;
    while (hs.deleted.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await bot.stop();
    expect(hs.deleted).toEqual(["!tick:stadt.test"]);
    expect(await t.db.query.rooms.findFirst({ where: eq(rooms.matrixRoomId, "!tick:stadt.test") })).toBeUndefined();
  });

  it("tells partners that a room opened to them closes, once, before deleting it", async () => {
    await dueRoom("!shared:stadt.test");
    const [room] = await t.db.select().from(rooms).where(eq(rooms.matrixRoomId, "!shared:stadt.test"));
    const [partner] = await t.db.insert(partners).values({ name: "Stadtwerke", contact: "it@stadtwerke.test", status: "approved" }).returning();
    await t.db.insert(roomPartners).values({ roomId: room!.id, partnerId: partner!.id });
    await dueRoom("!local:stadt.test");
    const sent: { roomId: string; txnId: string; body: unknown }[] = [];
    const hs = stubHomeserver();
    const order: string[] = [];
    const bot = start({
      ...options({ ...hs, requestRoomDeletion: async (roomId) => (order.push(`delete ${roomId}`), hs.requestRoomDeletion(roomId)) }),
      bot: {
        userId: "@_stadtfunk_bot:stadt.test",
        sendEvent: async (roomId: string, _type: string, txnId: string, content: Record<string, unknown>) => {
          sent.push({ roomId, txnId, body: content.body });
          order.push(`notice ${roomId}`);
          return "$e";
        },
        sendState: async () => "$s",
      },
      intervalMs: 60_000,
    });
    await bot.runOnce();
    await bot.stop();
    const closing = sent.filter((m) => m.txnId.startsWith("room-closed:"));
    expect(closing).toEqual([{ roomId: "!shared:stadt.test", txnId: "room-closed:!shared:stadt.test", body: expect.stringContaining("Partnerorganisationen") }]);
    expect(order.indexOf("notice !shared:stadt.test")).toBeLessThan(order.indexOf("delete !shared:stadt.test"));
    expect(hs.deleted).toEqual(expect.arrayContaining(["!shared:stadt.test", "!local:stadt.test"]));
  });

  it("homeserver away: the job waits with a backoff and nothing is marked done", async () => {
    await dueRoom("!away:stadt.test");
    const refused = Object.assign(new TypeError("fetch failed"), { cause: { code: "ECONNREFUSED" } });
    const hs = stubHomeserver({ requestRoomDeletion: () => Promise.reject(refused) });
    const bot = start({ ...options(hs), intervalMs: 60_000, retry: { sleep: async () => {} } });
    const report = await bot.runOnce();
    await bot.stop();
    expect(report).toMatchObject({ roomsDeleted: 0, retried: 1, failed: 0 });
    const [job] = await t.db.select().from(lifecycleJobs).where(eq(lifecycleJobs.target, "!away:stadt.test"));
    expect(job).toMatchObject({ state: "pending", attempts: 1, lockedBy: null, deleteId: null });
    expect(job!.nextAttemptAt.getTime()).toBeGreaterThan(Date.now() + 20_000);
  });

  it("writes a CSV a spreadsheet does not run as formulas", () => {
    const csv = dryRunCsv(
      [
        {
          roomId: "r",
          matrixRoomId: "!x:stadt.test",
          name: '=HYPERLINK("http://evil")',
          kind: "team",
          plannedAt: new Date("2030-01-01T00:00:00Z"),
          warnAt: null,
          basis: "inactivity",
          basisAt: null,
          periodDays: 210,
          state: "scheduled",
          keepReason: null,
          postponed: false,
        },
      ],
      DEFAULT_RETENTION_POLICY,
    );
    expect(csv.split("\r\n")[1]).toBe(`"'=HYPERLINK(""http://evil"")",!x:stadt.test,team,scheduled,2030-01-01T00:00:00.000Z,,inactivity,,210,nein,,0`);
  });
});
