import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, people, rooms } from "../../drizzle/schema";
import { roomRetention } from "../../drizzle/tables/lifecycle";
import { createTestDb, DB_SETUP_MS, type TestDb } from "../db/testing/test-db";
import { DEFAULT_RETENTION_POLICY, saveRetentionPolicy } from "./retention-policy";
import { keepRoomPermanently, setRoomPeriod } from "./room-retention-actions";

describe("per-room retention decisions by city admins", () => {
  let t: TestDb;
  let adminId: string;
  let staffId: string;
  let roomRowId: string;
  const matrixRoomId = "!own:stadt.test";
  const deps = () => ({ db: t.db, now: () => new Date("2030-01-01T00:00:00Z") });

  beforeAll(async () => {
    t = await createTestDb();
    const [admin, staff] = await t.db
      .insert(people)
      .values([
        { subject: randomUUID(), displayName: "Anna Admin", role: "admin" },
        { subject: randomUUID(), displayName: "Bernd Bauamt" },
      ])
      .returning();
    adminId = admin!.id;
    staffId = staff!.id;
    const [room] = await t.db
      .insert(rooms)
      .values({ matrixRoomId, kind: "team", name: "Akte", organiserId: staffId, access: "invited", conferenceId: "c", widgetId: "w", idempotencyKey: "k", status: "active" })
      .returning();
    roomRowId = room!.id;
  }, DB_SETUP_MS);
  afterAll(async () => t?.close());

  it("a room's own period stays within the admins' limit; outside it is refused with a field error and nothing changes", async () => {
    await saveRetentionPolicy(t.db, { ...DEFAULT_RETENTION_POLICY, maxRoomOverrideDays: 400 }, adminId);
    await expect(setRoomPeriod(deps(), adminId, matrixRoomId, { days: "401" })).rejects.toMatchObject({
      status: 400,
      fieldErrors: { days: "Höchstens 400 Tage (Grenze der Richtlinie)" },
    });
    expect(await t.db.select().from(roomRetention).where(eq(roomRetention.roomId, roomRowId))).toEqual([]);
    await expect(setRoomPeriod(deps(), staffId, matrixRoomId, { days: "100" })).rejects.toMatchObject({ status: 403 });
    await setRoomPeriod(deps(), adminId, matrixRoomId, { days: "400" });
    const [row] = await t.db.select().from(roomRetention).where(eq(roomRetention.roomId, roomRowId));
    expect(row!.overrideDays).toBe(400);
    const audit = await t.db.select().from(auditLog).where(eq(auditLog.action, "lifecycle.room_period_set"));
    expect(audit).toHaveLength(1);
  });

  it("a permanent keep needs a reason", async () => {
    await expect(keepRoomPermanently(deps(), adminId, matrixRoomId, { reason: " kurz" })).rejects.toMatchObject({ status: 400 });
    await keepRoomPermanently(deps(), adminId, matrixRoomId, { reason: "Archivpflicht bis 2040" });
    const [row] = await t.db.select().from(roomRetention).where(eq(roomRetention.roomId, roomRowId));
    expect(row).toMatchObject({ keepReason: "Archivpflicht bis 2040", keptBy: adminId, overrideDays: 400 });
  });
});
