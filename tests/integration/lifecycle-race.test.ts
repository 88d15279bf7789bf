import crypto from "node:crypto";
import { and, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { cleanupDeps } from "../../bots/cleanup";
import { runCleanupOnce } from "../../bots/cleanup/cleanup-run";
import { captureLogger } from "../../bots/shared/capture-logger";
import { createBotClient } from "../../bots/shared/homeserver";
import { createOutbox } from "../../bots/shared/outbox";
import { auditLog, people, type Person } from "../../drizzle/schema";
import { lifecycleJobs, roomRetention } from "../../drizzle/tables/lifecycle";
import { parseConfig, type AppConfig } from "../../lib/config/load";
import { openDb, runMigrations, type DbHandle } from "../../lib/db/client";
import { createMeeting } from "../../lib/guests/testing/guest-fixture";
import { claimJobs, enqueueJob } from "../../lib/lifecycle/lifecycle-jobs";
import { botUserId } from "../../lib/matrix/appservice-registration";
import { startTestPostgres, type TestPostgres } from "../setup/postgres";
import { createTestUser } from "./setup/matrix-users";

/**
 * Two cleanup workers at once on real PostgreSQL (PGlite runs one statement
 * at a time and would pass by accident): the lease hands each room to
 * exactly one of them, against the shared real Synapse.
 */

const enc = encodeURIComponent;

describe("cleanup workers racing (real PostgreSQL, real Synapse)", () => {
  let pg: TestPostgres;
  let handles: DbHandle[];
  let config: AppConfig;
  let organiser: Person;
  const log = captureLogger("warn");

  beforeAll(async () => {
    pg = await startTestPostgres();
    handles = [openDb(pg.url, { max: 10 }), openDb(pg.url, { max: 10 }), openDb(pg.url, { max: 10 }), openDb(pg.url, { max: 10 })];
    await runMigrations(handles[0]!);
    const admin = await createTestUser({ admin: true });
    config = parseConfig({
      MATRIX_SERVER_NAME: inject("serverName"),
      MATRIX_HOMESERVER_URL: inject("homeserverUrl"),
      APPSERVICE_ID: inject("appserviceId"),
      APPSERVICE_URL: inject("appserviceUrl"),
      APPSERVICE_USER_PREFIX: inject("userPrefix"),
      APPSERVICE_AS_TOKEN: inject("asToken"),
      APPSERVICE_HS_TOKEN: inject("hsToken"),
      MATRIX_ADMIN_TOKEN: admin.accessToken,
      JITSI_AUTH_MODE: "none",
      JITSI_DOMAIN: "meet.stadt.example",
    });
    const matrix = await createTestUser();
    [organiser] = (await handles[0]!.db
      .insert(people)
      .values({ subject: crypto.randomUUID(), displayName: "Olga Organisatorin", matrixUserId: matrix.userId, username: matrix.localpart })
      .returning()) as [Person];
  }, 120_000);

  afterAll(async () => {
    await Promise.all((handles ?? []).map((h) => h.close()));
    await pg?.stop();
  });

  it("four workers claiming at once never take the same job", async () => {
    const now = new Date();
    const targets = Array.from({ length: 200 }, (_, i) => `!race-${i}-${crypto.randomBytes(4).toString("hex")}:stadtfunk.test`);
    for (const target of targets) {
      await enqueueJob(handles[0]!.db, { kind: "room_delete", target, reason: "race", policyVersion: 0 }, now);
    }
    const takenBy = await Promise.all(
      handles.map(async (h, w) => {
        const mine: string[] = [];
        for (;;) {
          const batch = await claimJobs(h.db, { workerId: `worker-${w}`, now, leaseMs: 60_000, limit: 7 });
          if (batch.length === 0) return mine;
          mine.push(...batch.map((j) => j.target));
        }
      }),
    );
    const all = takenBy.flat();
    expect(all).toHaveLength(200);
    expect(new Set(all).size).toBe(200);
    // Every worker got a share: they really ran at the same time.
    expect(takenBy.filter((m) => m.length > 0).length).toBeGreaterThan(1);
    await handles[0]!.db.delete(lifecycleJobs).where(inArray(lifecycleJobs.target, targets));
  });

  it("two cleanup bots started at once delete each due room exactly once", async () => {
    const db = handles[0]!.db;
    const rooms = [];
    for (let i = 0; i < 6; i++) rooms.push(await createMeeting(db, config, organiser, { startsAt: "2030-03-01T10:00", endsAt: "2030-03-01T11:00" }));
    // Announced long ago for a date that has passed.
    const announced = new Date("2030-03-31T10:00:00Z");
    for (const room of rooms) {
      await db.insert(roomRetention).values({ roomId: room.id, warnedFor: announced, warnedAt: new Date("2030-03-24T10:00:00Z") });
    }
    const requests = new Map<string, number>();
    const countingFetch: typeof fetch = (input, init) => {
      const url = String(input);
      if (init?.method === "DELETE" && url.includes("/_synapse/admin/v2/rooms/")) {
        const id = decodeURIComponent(url.split("/_synapse/admin/v2/rooms/")[1]!.split("?")[0]!);
        requests.set(id, (requests.get(id) ?? 0) + 1);
      }
      return fetch(input, init);
    };
    const now = new Date("2030-04-02T00:00:00Z").getTime();
    const worker = (h: DbHandle) => {
      const bot = createBotClient({ homeserverUrl: config.matrix.homeserverUrl, asToken: config.appservice.asToken }, botUserId(config));
      return runCleanupOnce({
        ...cleanupDeps({
          db: h.db,
          bot,
          outbox: createOutbox(h.db),
          homeserver: { homeserverUrl: config.matrix.homeserverUrl, adminToken: config.matrix.adminToken, asToken: config.appservice.asToken, fetchFn: countingFetch },
          portalUrl: config.portal.url,
          logger: log.logger,
          now: () => now,
          parallel: 3,
        }),
        pollIntervalMs: 100,
      });
    };
    const [a, b] = await Promise.all([worker(handles[1]!), worker(handles[2]!)]);
    expect(a.roomsDeleted + b.roomsDeleted).toBe(6);
    expect(a.failed + b.failed).toBe(0);
    for (const room of rooms) {
      expect(requests.get(room.matrixRoomId)).toBe(1);
      const res = await fetch(`${config.matrix.homeserverUrl}/_synapse/admin/v1/rooms/${enc(room.matrixRoomId)}`, {
        headers: { Authorization: `Bearer ${config.matrix.adminToken}` },
      });
      expect(res.status).toBe(404);
      const entries = await db.select().from(auditLog).where(and(eq(auditLog.subject, room.matrixRoomId), eq(auditLog.action, "lifecycle.room_deleted")));
      expect(entries).toHaveLength(1);
    }
  }, 120_000);
});
