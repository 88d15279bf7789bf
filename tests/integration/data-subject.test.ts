import crypto from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { auditLog, pendingInvitations, people, portalSessions, rooms, type Person } from "../../drizzle/schema";
import { parseConfig } from "../../lib/config/load";
import { createTestDb, type TestDb } from "../../lib/db/testing/test-db";
import { AppError } from "../../lib/errors";
import { createLogger } from "../../lib/log";
import { accountDetails, deactivateAndErase, profile } from "../../lib/matrix/admin-data-subject";
import { roomState, setAccountLocked } from "../../lib/matrix/admin-devices";
import { deleteRoom, type AdminContext } from "../../lib/matrix/admin-users";
import { createServiceClient } from "../../lib/matrix/service-client";
import { logoutDevice } from "../../lib/matrix/sso-login";
import { insertSession, testTokens } from "../../lib/people/testing/seed";
import type { SubjectDeps } from "../../lib/privacy/subject-deps";
import { ERASED_DISPLAY_NAME } from "../../lib/privacy/subject-erasure";
import { erasePersonForAdmin, exportPersonForAdmin } from "../../lib/privacy/subject-requests";
import { createManagedRoom } from "../../lib/rooms/create-room";
import { createRoomInput } from "../../lib/rooms/create-room-input";
import { createTestUser, type TestUser } from "./setup/matrix-users";

const hs = () => inject("homeserverUrl");
const enc = encodeURIComponent;

async function cs(token: string | null, method: string, path: string, body?: unknown) {
  const res = await fetch(`${hs()}${path}`, {
    method,
    headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json().catch(() => ({}))) as Record<string, unknown> };
}

async function passwordLogin(user: TestUser) {
  return cs(null, "POST", "/_matrix/client/v3/login", {
    type: "m.login.password",
    identifier: { type: "m.id.user", user: user.localpart },
    password: user.password,
  });
}

describe("data-subject requests: export and erasure (real Synapse)", () => {
  let t: TestDb;
  let admin: AdminContext;
  let anna: Person;
  let annaMatrix: TestUser;
  const log = createLogger("data-subject-test", process.env.LOG_LEVEL ?? "silent");

  function depsWith(fetchFn?: typeof fetch): SubjectDeps {
    return {
      db: t.db,
      log,
      tokens: testTokens,
      logoutMatrixDevice: (token) => logoutDevice(hs(), token),
      now: () => new Date(),
      homeserver: { ...admin, fetchFn },
      isServiceAccount: (u) => u.startsWith(`@${inject("userPrefix")}`),
    };
  }

  const config = () =>
    parseConfig({
      MATRIX_SERVER_NAME: inject("serverName"),
      MATRIX_HOMESERVER_URL: hs(),
      APPSERVICE_AS_TOKEN: inject("asToken"),
      APPSERVICE_HS_TOKEN: inject("hsToken"),
      APPSERVICE_USER_PREFIX: inject("userPrefix"),
      JITSI_DOMAIN: "meet.stadt.example",
      JITSI_AUTH_MODE: "none",
    });

  /** A staff member with a Matrix account, a portal row and an open portal session holding its own Matrix device. */
  async function staff(name: string, role: "staff" | "admin" = "staff") {
    const matrix = await createTestUser({ displayname: name });
    const [person] = await t.db
      .insert(people)
      .values({
        subject: crypto.randomUUID(),
        displayName: name,
        username: matrix.localpart,
        email: `${matrix.localpart}@stadt.example`,
        matrixUserId: matrix.userId,
        departments: ["bauamt"],
        role,
        lastSignInAt: new Date(),
      })
      .returning();
    const portalDevice = await passwordLogin(matrix);
    const portalToken = portalDevice.body.access_token as string;
    const sessionHash = await insertSession(t.db, person!.id, { matrixToken: portalToken, refreshToken: "idp-refresh-token-secret" });
    return { person: person!, matrix, portalToken, sessionHash };
  }

  async function meetingOrganisedBy(organiser: Person, participants: Person[]) {
    const cfg = config();
    return createManagedRoom(
      {
        db: t.db,
        service: createServiceClient(cfg),
        config: cfg,
        log,
        discardRoom: async (roomId) => void (await deleteRoom(admin, roomId)),
      },
      organiser,
      createRoomInput.parse({
        kind: "meeting",
        name: "Sprechstunde Datenschutz",
        topic: "",
        startsAt: "2030-05-01T10:00",
        endsAt: "2030-05-01T11:00",
        participantIds: participants.map((p) => p.id),
        idempotencyKey: crypto.randomUUID(),
      }),
    );
  }

  beforeAll(async () => {
    t = await createTestDb();
    const hsAdmin = await createTestUser({ admin: true });
    admin = { homeserverUrl: hs(), adminToken: hsAdmin.accessToken };
    const a = await staff("Anna Admin", "admin");
    anna = a.person;
    annaMatrix = a.matrix;
  });

  afterAll(async () => {
    await t?.close();
  });

  it("exports portal and homeserver data without secrets, then erases the person completely, and a second erasure is harmless", async () => {
    const paula = await staff("Paula Privat");
    // A managed room Paula organises and alone administers, with Anna in it; a message and an upload from Paula.
    const room = await meetingOrganisedBy(paula.person, [anna]);
    const roomId = room.matrixRoomId!;
    expect((await cs(paula.matrix.accessToken, "POST", `/_matrix/client/v3/join/${enc(roomId)}`, {})).status).toBe(200);
    expect((await cs(annaMatrix.accessToken, "POST", `/_matrix/client/v3/join/${enc(roomId)}`, {})).status).toBe(200);
    const sent = await cs(paula.matrix.accessToken, "PUT", `/_matrix/client/v3/rooms/${enc(roomId)}/send/m.room.message/t1`, {
      msgtype: "m.text",
      body: "Meine Telefonnummer ist 0301234",
    });
    expect(sent.status).toBe(200);
    const upload = await fetch(`${hs()}/_matrix/media/v3/upload?filename=notiz.txt`, {
      method: "POST",
      headers: { Authorization: `Bearer ${paula.matrix.accessToken}`, "Content-Type": "text/plain" },
      body: "Notiz von Paula",
    });
    expect(upload.status).toBe(200);
    // Waiting for her first sign-in elsewhere: an invitation by her e-mail address.
    await t.db.insert(pendingInvitations).values({ roomId: room.id, invitee: paula.person.email!, invitedBy: anna.id });

    // --- Art. 15: export ---
    let started = performance.now();
    const data = await exportPersonForAdmin(anna.id, paula.person.id, depsWith());
    const exportMs = performance.now() - started;
    expect(data.person).toMatchObject({ id: paula.person.id, displayName: "Paula Privat", email: paula.person.email });
    expect(data.portal.sessions).toHaveLength(1);
    expect(data.portal.sessions[0]).toMatchObject({ revokedAt: null, matrixUserId: null });
    expect(data.portal.roomsOrganised.map((r) => r.matrixRoomId)).toEqual([roomId]);
    expect(data.portal.invitationsWaitingForFirstSignIn.map((i) => i.invitee)).toEqual([paula.person.email]);
    expect(data.homeserver).not.toBeNull();
    const homeserver = data.homeserver as Record<string, unknown> & { account: Record<string, unknown> };
    expect(homeserver.account).toMatchObject({ name: paula.matrix.userId, displayname: "Paula Privat", deactivated: false });
    expect(homeserver.profile).toMatchObject({ displayname: "Paula Privat" });
    expect(homeserver.joinedRooms).toContain(roomId);
    expect((homeserver.devices as { device_id: string }[]).map((d) => d.device_id)).toContain(paula.matrix.deviceId);
    expect(homeserver.uploadedMedia).toEqual([expect.objectContaining({ upload_name: "notiz.txt", media_length: 15 })]);
    expect(homeserver.accountData).toHaveProperty("global");

    const json = JSON.stringify(data);
    for (const secret of [paula.matrix.accessToken, paula.portalToken, paula.matrix.password, paula.sessionHash, "idp-refresh-token-secret", room.conferenceId]) {
      expect(json).not.toContain(secret);
    }
    const keys = json.match(/"[A-Za-z_]+":/g) ?? [];
    expect(keys.filter((k) => /token|hash|password|secret|Enc"/i.test(k) && k !== '"next_token":')).toEqual([]);
    const [exported] = await t.db.select().from(auditLog).where(eq(auditLog.action, "person.data-exported"));
    expect(exported).toMatchObject({ actor: `person:${anna.id}`, subject: paula.person.id });

    // --- Art. 17: erasure ---
    started = performance.now();
    const outcome = await erasePersonForAdmin(anna.id, paula.person.id, depsWith());
    console.info(`data-subject export ${exportMs.toFixed(0)} ms, erasure ${(performance.now() - started).toFixed(0)} ms (one room, real Synapse)`);
    expect(outcome).toMatchObject({ ok: true, result: { alreadyErased: false, sessionsEnded: 1, matrixAccountErased: true } });
    if (!outcome.ok) throw new Error("unreachable");
    expect(outcome.result.rooms).toEqual([{ matrixRoomId: roomId, successor: anna.matrixUserId, outcome: "handed-over" }]);

    // Every token is dead, and the password no longer signs in.
    for (const token of [paula.matrix.accessToken, paula.portalToken]) {
      expect(await cs(token, "GET", "/_matrix/client/v3/account/whoami")).toMatchObject({ status: 401, body: { errcode: "M_UNKNOWN_TOKEN" } });
    }
    expect((await passwordLogin(paula.matrix)).status).toBe(403);
    // The homeserver holds the account as deactivated and erased, without a display name.
    expect(await accountDetails(admin, paula.matrix.userId)).toMatchObject({ deactivated: true, erased: true });
    expect((await accountDetails(admin, paula.matrix.userId))?.displayname ?? null).toBeNull();
    expect((await profile(admin, paula.matrix.userId))?.displayname ?? null).toBeNull();
    // Anna now administers the room.
    const pl = (await roomState(admin, roomId)).find((e) => e.type === "m.room.power_levels");
    expect((pl?.content.users as Record<string, number>)[anna.matrixUserId!]).toBe(100);

    // The portal keeps a row without name, e-mail, login or subject, under the same id.
    const [row] = await t.db.select().from(people).where(eq(people.id, paula.person.id));
    expect(row).toMatchObject({ displayName: ERASED_DISPLAY_NAME, email: null, username: null, matrixUserId: null, departments: [], subject: `erased:${paula.person.id}` });
    expect(row!.disabledAt).toBeInstanceOf(Date);
    expect(await t.db.select().from(portalSessions).where(eq(portalSessions.personId, paula.person.id))).toEqual([]);
    expect(await t.db.select().from(pendingInvitations).where(eq(pendingInvitations.invitee, paula.person.email!))).toEqual([]);
    const [roomRow] = await t.db.select().from(rooms).where(eq(rooms.id, room.id));
    expect(roomRow!.organiserId).toBe(paula.person.id);
    expect(roomRow!.invitedUserIds).not.toContain(paula.matrix.userId);

    // The audit log: the earlier entries stay; one minimal erasure entry, with neither name nor Matrix id anywhere.
    const entries = await t.db.select().from(auditLog);
    const erased = entries.filter((e) => e.action === "person.erased");
    expect(erased).toHaveLength(1);
    expect(erased[0]).toMatchObject({ actor: `person:${anna.id}`, subject: paula.person.id, details: { matrixAccountErased: true, roomsHandedOver: 1 } });
    expect(entries.some((e) => e.action === "person.data-exported" && e.subject === paula.person.id)).toBe(true);
    const log = JSON.stringify(entries);
    expect(log).not.toContain("Paula");
    expect(log).not.toContain(paula.matrix.userId);
    expect(log).not.toContain(paula.person.email);

    // Again: nothing happens, nothing is recorded twice.
    const again = await erasePersonForAdmin(anna.id, paula.person.id, depsWith());
    expect(again).toMatchObject({ ok: true, result: { alreadyErased: true } });
    expect(await t.db.select().from(auditLog).where(eq(auditLog.action, "person.erased"))).toHaveLength(1);
  });

  it("with the homeserver down marks nothing erased, and a later run completes; a run that stopped after the deactivation completes too", async () => {
    const rita = await staff("Rita Rest");
    const down = (async () => {
      throw new TypeError("fetch failed");
    }) as typeof fetch;
    // An export that cannot reach the homeserver fails as a whole and is not recorded as given.
    await expect(exportPersonForAdmin(anna.id, rita.person.id, depsWith(down))).rejects.toMatchObject({ code: "homeserver-unavailable", status: 503 });
    const failed = await erasePersonForAdmin(anna.id, rita.person.id, depsWith(down)).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(AppError);
    expect(failed).toMatchObject({ code: "homeserver-unavailable", category: "unavailable" });
    const [still] = await t.db.select().from(people).where(eq(people.id, rita.person.id));
    expect(still).toMatchObject({ displayName: "Rita Rest", email: rita.person.email, subject: rita.person.subject });
    expect(still!.disabledAt).toBeInstanceOf(Date); // locked out meanwhile, but not erased
    expect(await t.db.select().from(auditLog).where(eq(auditLog.subject, rita.person.id))).toEqual([]);
    expect(await accountDetails(admin, rita.matrix.userId)).toMatchObject({ deactivated: false });

    const done = await erasePersonForAdmin(anna.id, rita.person.id, depsWith());
    expect(done).toMatchObject({ ok: true, result: { alreadyErased: false, matrixAccountErased: true } });
    expect(await accountDetails(admin, rita.matrix.userId)).toMatchObject({ deactivated: true, erased: true });

    // A run that stopped right after the homeserver step: the account is already erased there.
    const sven = await staff("Sven Stopp");
    await deactivateAndErase(admin, sven.matrix.userId);
    const resumed = await erasePersonForAdmin(anna.id, sven.person.id, depsWith());
    expect(resumed).toMatchObject({ ok: true, result: { alreadyErased: false, matrixAccountErased: true, rooms: [] } });
    const [svenRow] = await t.db.select().from(people).where(eq(people.id, sven.person.id));
    expect(svenRow).toMatchObject({ displayName: ERASED_DISPLAY_NAME, email: null });
  });

  it("erases a person whose access was locked before (leaver), with their portal device already gone", async () => {
    const lea = await staff("Lea Leaver");
    await setAccountLocked(admin, lea.matrix.userId, true);
    expect((await passwordLogin(lea.matrix)).body.errcode).toBe("M_USER_LOCKED");
    const outcome = await erasePersonForAdmin(anna.id, lea.person.id, depsWith());
    expect(outcome).toMatchObject({ ok: true, result: { matrixAccountErased: true } });
    expect(await accountDetails(admin, lea.matrix.userId)).toMatchObject({ deactivated: true, erased: true });
    expect((await profile(admin, lea.matrix.userId))?.displayname ?? null).toBeNull();
  });

  it("refuses staff and an admin's own erasure", async () => {
    const bernd = await staff("Bernd Bauer");
    await expect(erasePersonForAdmin(bernd.person.id, anna.id, depsWith())).rejects.toMatchObject({ code: "not-admin" });
    await expect(exportPersonForAdmin(bernd.person.id, anna.id, depsWith())).rejects.toMatchObject({ code: "not-admin" });
    expect(await erasePersonForAdmin(anna.id, anna.id, depsWith())).toEqual({ ok: false, reason: "self" });
    expect(await accountDetails(admin, annaMatrix.userId)).toMatchObject({ deactivated: false });
  });
});
