import { and, count, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanupDeps } from "../../bots/cleanup";
import { runCleanupOnce, WorkerStopped, type CleanupDeps } from "../../bots/cleanup/cleanup-run";
import { captureLogger } from "../../bots/shared/capture-logger";
import { createBotClient } from "../../bots/shared/homeserver";
import { createOutbox } from "../../bots/shared/outbox";
import { auditLog, botOutbox, guests, people, rooms } from "../../drizzle/schema";
import { lifecycleJobs } from "../../drizzle/tables/lifecycle";
import type { Db } from "../../lib/db/client";
import { createTestDb, type TestDb } from "../../lib/db/testing/test-db";
import { guestMatrixCredentials } from "../../lib/guests/guest-access";
import { createGuestLink } from "../../lib/guests/guest-links";
import { redeemGuestLink } from "../../lib/guests/guest-redemption";
import { removeDueGuests } from "../../lib/guests/guest-removal";
import { findGuestSession } from "../../lib/guests/guest-sessions";
import { addStaff, createMeeting, guestDepsFor, testClock, type StaffMember } from "../../lib/guests/testing/guest-fixture";
import { createGuestInputFor, redeemFor, secretOf } from "../../lib/guests/testing/guest-inputs";
import type { LifecycleHomeserver } from "../../lib/lifecycle/lifecycle-homeserver";
import { retryFailedJob } from "../../lib/lifecycle/lifecycle-jobs";
import { currentRetentionPolicy, DEFAULT_RETENTION_POLICY, saveRetentionPolicy } from "../../lib/lifecycle/retention-policy";
import { dryRunCsv, dryRunReport } from "../../lib/lifecycle/room-plan";
import { MatrixApiError } from "../../lib/matrix/client-api";
import { keepRoomPermanently, postponeDeletionOnce } from "../../lib/lifecycle/room-retention-actions";
import { startRestartableHomeserver, type RestartableHomeserver } from "../../lib/lifecycle/testing/restartable-homeserver";
import { botUserId } from "../../lib/matrix/appservice-registration";
import { createServiceClient } from "../../lib/matrix/service-client";

/**
 * Room lifecycle against a real Synapse of its own (it is restarted in one
 * test), with the clock injected: announcement, deletion through the admin
 * API, keep and postpone, crash and restart in the middle of a deletion, and
 * guest erasure.
 */

const enc = encodeURIComponent;
const DAY = 86_400_000;

describe("room lifecycle and retention (real Synapse, injected clock)", () => {
  let hs: RestartableHomeserver;
  let t: TestDb;
  let db: Db;
  let organiser: StaffMember;
  let colleague: StaffMember;
  const clock = testClock(new Date("2030-03-01T08:00:00Z"));
  const log = captureLogger("warn");
  let deleteRequests: string[] = [];

  async function cs(token: string, method: string, path: string, body?: unknown) {
    const res = await fetch(`${hs.config.matrix.homeserverUrl}${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json().catch(() => ({}))) as Record<string, unknown> };
  }

  const adminRoom = (roomId: string) => cs(hs.config.matrix.adminToken, "GET", `/_synapse/admin/v1/rooms/${enc(roomId)}`);

  /** Counts the v2 delete requests per room, so a test can tell a re-issue from a duplicate. */
  const countingFetch: typeof fetch = (input, init) => {
    const url = String(input);
    if (init?.method === "DELETE" && url.includes("/_synapse/admin/v2/rooms/")) {
      deleteRequests.push(decodeURIComponent(url.split("/_synapse/admin/v2/rooms/")[1]!.split("?")[0]!));
    }
    return fetch(input, init);
  };

  function deps(over: Partial<CleanupDeps> = {}): CleanupDeps {
    const config = hs.config;
    const bot = createBotClient({ homeserverUrl: config.matrix.homeserverUrl, asToken: config.appservice.asToken }, botUserId(config));
    return {
      ...cleanupDeps({
        db,
        bot,
        outbox: createOutbox(db),
        homeserver: { homeserverUrl: config.matrix.homeserverUrl, adminToken: config.matrix.adminToken, asToken: config.appservice.asToken, fetchFn: countingFetch },
        portalUrl: config.portal.url,
        logger: log.logger,
        now: () => clock.now().getTime(),
        parallel: 5,
        retry: { baseDelayMs: 20, maxDelayMs: 100 },
      }),
      pollIntervalMs: 100,
      ...over,
    };
  }

  async function meeting(name: string) {
    const room = await createMeeting(db, hs.config, organiser.person, {
      participantIds: [colleague.person.id],
      startsAt: "2030-03-01T10:00",
      endsAt: "2030-03-01T11:00",
    });
    await db.update(rooms).set({ name }).where(eq(rooms.id, room.id));
    const joined = await cs(colleague.matrix.access_token, "POST", `/_matrix/client/v3/join/${enc(room.matrixRoomId)}`, {});
    expect(joined.status).toBe(200);
    return room;
  }

  /** The meeting ends 2030-03-01 10:00 UTC (11:00 in Berlin). */
  const ended = new Date("2030-03-01T10:00:00Z").getTime();
  const afterEnd = (days: number) => clock.set(new Date(ended + days * DAY + 60_000));

  const noticesIn = async (roomId: string) => {
    const r = await cs(colleague.matrix.access_token, "GET", `/_matrix/client/v3/rooms/${enc(roomId)}/messages?dir=b&limit=50`);
    return ((r.body.chunk as { type: string; sender: string; content: { msgtype?: string; body?: string } }[]) ?? []).filter(
      (e) => e.type === "m.room.message" && e.content.msgtype === "m.notice" && e.sender === botUserId(hs.config),
    );
  };
  const auditCount = async (subject: string, action: string) =>
    (await db.select({ n: count() }).from(auditLog).where(and(eq(auditLog.subject, subject), eq(auditLog.action, action))))[0]!.n;
  const announcementsStored = async (roomId: string) =>
    (await db.select({ n: count() }).from(botOutbox).where(and(eq(botOutbox.roomId, roomId), sql`${botOutbox.content}::text like '%gelöscht%'`)))[0]!.n;

  beforeAll(async () => {
    [hs, t] = await Promise.all([startRestartableHomeserver(), createTestDb()]);
    db = t.db;
    organiser = await addStaff(db, hs.config, hs.sharedSecret, "Olga Organisatorin");
    colleague = await addStaff(db, hs.config, hs.sharedSecret, "Carl Kollege");
  }, 120_000);

  afterAll(async () => {
    await t?.close();
    await hs?.stop();
  });

  it("announces a meeting room's deletion once, deletes it after the period, audits it and never touches an unmanaged room", async () => {
    const room = await meeting("Radweg Nord");
    const unmanaged = await cs(colleague.matrix.access_token, "POST", "/_matrix/client/v3/createRoom", { name: "privat", preset: "private_chat" });
    const unmanagedId = unmanaged.body.room_id as string;

    afterEnd(22);
    expect((await runCleanupOnce(deps())).announced).toBe(0);

    afterEnd(23);
    expect(await runCleanupOnce(deps())).toMatchObject({ announced: 1, roomsDeleted: 0 });
    const notices = await noticesIn(room.matrixRoomId);
    expect(notices).toHaveLength(1);
    expect(notices[0]!.content.body).toContain("Dieser Raum wird am 31.03.2030");
    expect(notices[0]!.content.body).toContain("einmal um 30 Tage verschieben");
    // A second pass before the date announces nothing again and deletes nothing.
    afterEnd(25);
    expect(await runCleanupOnce(deps())).toMatchObject({ announced: 0, roomsDeleted: 0 });
    expect(await noticesIn(room.matrixRoomId)).toHaveLength(1);
    expect((await adminRoom(room.matrixRoomId)).status).toBe(200);

    afterEnd(30);
    deleteRequests = [];
    expect(await runCleanupOnce(deps())).toMatchObject({ roomsDeleted: 1, failed: 0 });
    expect((await adminRoom(room.matrixRoomId)).status).toBe(404);
    expect(deleteRequests).toEqual([room.matrixRoomId]);
    expect(await db.query.rooms.findFirst({ where: eq(rooms.id, room.id) })).toBeUndefined();
    const [entry] = await db.select().from(auditLog).where(and(eq(auditLog.subject, room.matrixRoomId), eq(auditLog.action, "lifecycle.room_deleted")));
    expect(entry).toMatchObject({ actor: "system:cleanup", details: { roomName: "Radweg Nord", kind: "meeting", policyVersion: 0 } });
    expect(String(entry!.details.reason)).toContain("Besprechung beendet, Frist 30 Tage");
    expect(entry!.details.actor).toBe(botUserId(hs.config));

    // Far later, the unmanaged room of a staff member is still there.
    afterEnd(2000);
    await runCleanupOnce(deps());
    expect((await adminRoom(unmanagedId)).status).toBe(200);
  });

  it("honours a permanent keep by a city admin (with a reason) and a room admin's single postponement", async () => {
    const kept = await meeting("Haushalt 2031");
    const postponed = await meeting("Spielplatz Süd");
    const [admin] = await db.insert(people).values({ subject: crypto.randomUUID(), displayName: "Anna Admin", role: "admin" }).returning();
    const now = clock.now;
    await expect(keepRoomPermanently({ db, now }, admin!.id, kept.matrixRoomId, { reason: "" })).rejects.toMatchObject({ status: 400 });
    await expect(keepRoomPermanently({ db, now }, organiser.person.id, kept.matrixRoomId, { reason: "Haushaltsakte" })).rejects.toMatchObject({ status: 403 });
    await keepRoomPermanently({ db, now }, admin!.id, kept.matrixRoomId, { reason: "Haushaltsakte, 10 Jahre" });

    const service = createServiceClient(hs.config);
    await expect(postponeDeletionOnce({ db, service, now }, postponed.matrixRoomId, colleague.matrix.user_id)).rejects.toMatchObject({ status: 403 });
    expect(await postponeDeletionOnce({ db, service, now }, postponed.matrixRoomId, organiser.matrix.user_id)).toEqual({ postponedDays: 30 });
    await expect(postponeDeletionOnce({ db, service, now }, postponed.matrixRoomId, organiser.matrix.user_id)).rejects.toMatchObject({ status: 409 });

    afterEnd(31);
    expect(await runCleanupOnce(deps())).toMatchObject({ announced: 0, roomsDeleted: 0 });
    expect((await adminRoom(postponed.matrixRoomId)).status).toBe(200);
    afterEnd(53);
    expect(await runCleanupOnce(deps())).toMatchObject({ announced: 1 });
    expect((await noticesIn(postponed.matrixRoomId))[0]!.content.body).toContain("30.04.2030");
    afterEnd(61);
    await runCleanupOnce(deps());
    expect((await adminRoom(postponed.matrixRoomId)).status).toBe(404);

    afterEnd(4000);
    await runCleanupOnce(deps());
    expect((await adminRoom(kept.matrixRoomId)).status).toBe(200);
    expect(await auditCount(kept.matrixRoomId, "lifecycle.room_kept")).toBe(1);
    expect(await auditCount(kept.matrixRoomId, "lifecycle.room_deleted")).toBe(0);
  });

  it("a crash between the delete request and its completion is finished by the next run, once; a lost delete id is asked again", async () => {
    const room = await meeting("Absturz");
    afterEnd(23);
    await runCleanupOnce(deps());
    afterEnd(30);
    deleteRequests = [];
    const crashing = deps({
      afterStep: (step) => {
        if (step === "delete_requested") throw new WorkerStopped();
      },
    });
    await expect(runCleanupOnce(crashing)).rejects.toBeInstanceOf(WorkerStopped);
    const [job] = await db.select().from(lifecycleJobs).where(eq(lifecycleJobs.target, room.matrixRoomId));
    expect(job).toMatchObject({ state: "delete_requested", lockedBy: crashing.workerId });
    expect(job!.deleteId).toBeTruthy();

    // The crashed worker's lease holds: another worker does not take the room yet.
    expect(await runCleanupOnce(deps())).toMatchObject({ roomsDeleted: 0 });
    // The delete id is lost (as after a homeserver restart): the next worker asks again.
    await db.update(lifecycleJobs).set({ deleteId: "lost-delete-id" }).where(eq(lifecycleJobs.id, job!.id));
    clock.advance(11 * 60_000);
    expect(await runCleanupOnce(deps())).toMatchObject({ roomsDeleted: 1 });
    expect((await adminRoom(room.matrixRoomId)).status).toBe(404);
    expect(deleteRequests).toEqual([room.matrixRoomId, room.matrixRoomId]);
    expect(await auditCount(room.matrixRoomId, "lifecycle.room_deleted")).toBe(1);
    expect(await auditCount(room.matrixRoomId, "lifecycle.room_announced")).toBe(1);
    expect(await announcementsStored(room.matrixRoomId)).toBe(1);
    // Further passes change nothing.
    await runCleanupOnce(deps());
    expect(await auditCount(room.matrixRoomId, "lifecycle.room_deleted")).toBe(1);
  });

  it("Synapse restarted during a deletion: the pass backs off without marking anything, the next one re-issues and completes", async () => {
    const room = await meeting("Neustart");
    afterEnd(23);
    await runCleanupOnce(deps());
    afterEnd(30);
    let restarted: Promise<void> | undefined;
    const report = await runCleanupOnce(
      deps({
        afterStep: async (step) => {
          if (step !== "delete_requested" || restarted) return;
          await hs.halt();
          restarted = hs.start();
        },
      }),
    );
    expect(report).toMatchObject({ roomsDeleted: 0, retried: 1, failed: 0 });
    const [job] = await db.select().from(lifecycleJobs).where(eq(lifecycleJobs.target, room.matrixRoomId));
    expect(job).toMatchObject({ state: "delete_requested", attempts: 1, lockedBy: null });
    expect(job!.nextAttemptAt.getTime()).toBeGreaterThan(clock.now().getTime());
    const waitedFrom = performance.now();
    await restarted;
    console.log(`homeserver back after ${Math.round(performance.now() - waitedFrom)} ms more`);

    // Not before the backoff is over.
    expect(await runCleanupOnce(deps())).toMatchObject({ roomsDeleted: 0 });
    clock.advance(60_000);
    const resumedAt = performance.now();
    expect(await runCleanupOnce(deps())).toMatchObject({ roomsDeleted: 1, failed: 0 });
    console.log(`deletion after the restart completed in ${Math.round(performance.now() - resumedAt)} ms`);
    expect((await adminRoom(room.matrixRoomId)).status).toBe(404);
    expect(await auditCount(room.matrixRoomId, "lifecycle.room_deleted")).toBe(1);
    // Synapse's task scheduler picks up an interrupted deletion on its one-minute tick after the
    // restart, so this test takes 1–2 minutes by design; a loaded machine adds to both halves.
  }, 240_000);

  it("guests: deactivated when their access ends, erased after the set days; the token dies and the profile is gone", async () => {
    const room = await meeting("Bürgersprechstunde");
    const guestDeps = guestDepsFor(db, hs.config, clock.now);
    clock.set(new Date("2030-03-01T09:00:00Z"));
    const { url } = await createGuestLink(guestDeps, { person: organiser.person, matrixUserId: organiser.matrix.user_id }, room.matrixRoomId, createGuestInputFor());
    const outcome = await redeemGuestLink(guestDeps, redeemFor(secretOf(url), { displayName: "Gabi Gast" }), null);
    if (outcome.kind !== "redeemed") throw new Error(outcome.kind);
    const session = await findGuestSession(db, outcome.sessionId, clock.now());
    const creds = guestMatrixCredentials(guestDeps, hs.config.matrix.homeserverUrl, session)!;
    const guestId = session!.guest.matrixUserId;
    expect((await cs(creds.accessToken, "GET", "/_matrix/client/v3/account/whoami")).status).toBe(200);

    // Access ends two hours after the meeting; the portal's expiry job deactivates at once.
    afterEnd(0.2);
    await removeDueGuests(guestDeps);
    expect((await cs(creds.accessToken, "GET", "/_matrix/client/v3/account/whoami")).body.errcode).toBe("M_UNKNOWN_TOKEN");
    afterEnd(6);
    expect(await runCleanupOnce(deps())).toMatchObject({ guestsErased: 0 });
    afterEnd(7.5);
    expect(await runCleanupOnce(deps())).toMatchObject({ guestsErased: 1 });
    const user = await cs(hs.config.matrix.adminToken, "GET", `/_synapse/admin/v2/users/${enc(guestId)}`);
    expect(user.body).toMatchObject({ deactivated: true, erased: true });
    expect([null, ""]).toContain(user.body.displayname ?? null);
    const profile = await cs(organiser.matrix.access_token, "GET", `/_matrix/client/v3/profile/${enc(guestId)}/displayname`);
    expect(profile.body.displayname ?? null).toBeNull();
    const [row] = await db.select().from(guests).where(eq(guests.matrixUserId, guestId));
    expect(row!.displayName).toBe("–");
    expect(await auditCount(guestId, "lifecycle.guest_deactivated")).toBe(1);
    expect(await runCleanupOnce(deps())).toMatchObject({ guestsErased: 0 });
  });

  it("carries the policy's message retention into every managed room as m.room.retention", async () => {
    const room = await meeting("Nachrichtenfrist");
    const saved = await saveRetentionPolicy(db, { ...DEFAULT_RETENTION_POLICY, messageRetentionDays: 90 }, null);
    expect(saved.ok).toBe(true);
    clock.set(new Date("2030-03-02T00:00:00Z"));
    await runCleanupOnce(deps());
    const state = await cs(colleague.matrix.access_token, "GET", `/_matrix/client/v3/rooms/${enc(room.matrixRoomId)}/state/m.room.retention/`);
    expect(state).toEqual({ status: 200, body: { max_lifetime: 90 * DAY } });
  });

  it("lists what would be deleted (page and CSV) without changing anything; an admin-API refusal flags one room and the others go on", async () => {
    const refused = await meeting("Verweigert");
    const fine = await meeting("Normal");
    // Announced on time, so the date is the policy's (the test clock runs a minute past each day).
    afterEnd(23);
    await runCleanupOnce(deps());
    const policy = await currentRetentionPolicy(db);
    const report = await dryRunReport(db, policy, clock.now(), 60, async () => null);
    const row = report.find((r) => r.matrixRoomId === refused.matrixRoomId);
    expect(row).toMatchObject({ name: "Verweigert", kind: "meeting", state: "announced", basis: "meeting_end", periodDays: 30 });
    expect(row!.plannedAt!.toISOString()).toBe("2030-03-31T10:01:00.000Z");
    expect(report.find((r) => r.name === "Haushalt 2031")).toMatchObject({ state: "kept", keepReason: "Haushaltsakte, 10 Jahre" });
    const csv = dryRunCsv(report, policy);
    expect(csv.split("\r\n")[0]).toBe("raum,matrix_raum_id,art,status,loeschung_geplant,ankuendigung,grund,bezugszeitpunkt,frist_tage,verschoben,behalten_grund,richtlinie_version");
    expect(csv).toContain(`Verweigert,${refused.matrixRoomId},meeting,announced,2030-03-31T10:01:00.000Z`);
    expect((await adminRoom(refused.matrixRoomId)).status).toBe(200);

    afterEnd(30);
    const base = deps();
    const refusing: LifecycleHomeserver = {
      ...base.hs,
      requestRoomDeletion: (roomId) =>
        roomId === refused.matrixRoomId ? Promise.reject(new MatrixApiError(403, "M_FORBIDDEN", "refused")) : base.hs.requestRoomDeletion(roomId),
    };
    const result = await runCleanupOnce({ ...base, hs: refusing });
    expect(result.failed).toBe(1);
    expect((await adminRoom(fine.matrixRoomId)).status).toBe(404);
    expect((await adminRoom(refused.matrixRoomId)).status).toBe(200);
    const [job] = await db.select().from(lifecycleJobs).where(eq(lifecycleJobs.target, refused.matrixRoomId));
    expect(job).toMatchObject({ state: "failed", lastError: "403 M_FORBIDDEN" });
    expect(await auditCount(refused.matrixRoomId, "lifecycle.room_delete_failed")).toBe(1);
    // Flagged jobs wait for an admin: later passes leave them alone.
    await runCleanupOnce(deps());
    expect((await adminRoom(refused.matrixRoomId)).status).toBe(200);
    expect(await retryFailedJob(db, job!.id, clock.now())).toBe(true);
    expect(await runCleanupOnce(deps())).toMatchObject({ roomsDeleted: 1, failed: 0 });
    expect((await adminRoom(refused.matrixRoomId)).status).toBe(404);
  });
});
