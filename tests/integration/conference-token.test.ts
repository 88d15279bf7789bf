import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { decodeProtectedHeader, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { people } from "../../drizzle/schema";
import { parseConfig, type AppConfig } from "../../lib/config/load";
import { openDb, runMigrations, type DbHandle } from "../../lib/db/client";
import { startEmbeddedDb, type EmbeddedDb } from "../../lib/db/embedded-server";
import { AppError } from "../../lib/errors";
import { conferenceAccess, type ConferenceAccessDeps } from "../../lib/jitsi/conference-access";
import { conferenceIdForRoom } from "../../lib/jitsi/conference-id";
import { createLogger } from "../../lib/log";
import { deleteRoom } from "../../lib/matrix/admin-users";
import { createServiceClient } from "../../lib/matrix/service-client";
import { createManagedRoom, type CreateRoomDeps } from "../../lib/rooms/create-room";
import { createRoomInput } from "../../lib/rooms/create-room-input";
import { readRoomAccess } from "../../lib/rooms/room-access";
import { freePort } from "../../scripts/stack/ports";
import { createTestUser, type TestUser } from "./setup/matrix-users";

const homeserverUrl = inject("homeserverUrl");
const serverName = inject("serverName");
const JITSI_DOMAIN = "meet.stadt.example";
const APP_SECRET = crypto.randomBytes(32).toString("base64url");
const VERIFIER_TOKEN = crypto.randomBytes(24).toString("base64url");

function configFor(mode: "matrix" | "jwt" | "none"): AppConfig {
  return parseConfig({
    MATRIX_SERVER_NAME: serverName,
    MATRIX_HOMESERVER_URL: homeserverUrl,
    APPSERVICE_AS_TOKEN: inject("asToken"),
    APPSERVICE_HS_TOKEN: inject("hsToken"),
    APPSERVICE_USER_PREFIX: inject("userPrefix"),
    JITSI_DOMAIN,
    JITSI_AUTH_MODE: mode,
    JITSI_APP_SECRET: mode === "jwt" ? APP_SECRET : undefined,
  });
}

async function joinRoom(user: TestUser, roomId: string) {
  const res = await fetch(`${homeserverUrl}/_matrix/client/v3/join/${encodeURIComponent(roomId)}`, {
    method: "POST",
    headers: { Authorization: `Bearer ${user.accessToken}`, "Content-Type": "application/json" },
    body: "{}",
  });
  expect(res.status).toBe(200);
}

/** A real OpenID token, as the browser (or Element's widget API) requests it. */
async function openIdToken(user: TestUser): Promise<{ access_token: string; matrix_server_name: string }> {
  const res = await fetch(`${homeserverUrl}/_matrix/client/v3/user/${encodeURIComponent(user.userId)}/openid/request_token`, {
    method: "POST",
    headers: { Authorization: `Bearer ${user.accessToken}`, "Content-Type": "application/json" },
    body: "{}",
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { access_token: string; matrix_server_name: string };
}

describe("conference access per mode, against the real homeserver", () => {
  let embedded: EmbeddedDb;
  let handle: DbHandle;
  let dir: string;
  let adminToken: string;
  let organiser: TestUser;
  let colleague: TestUser;
  let invitee: TestUser;
  let outsider: TestUser;
  let rows: Record<"organiser" | "colleague" | "invitee", typeof people.$inferSelect>;
  let jwtRoom: { roomId: string; conferenceId: string };
  let matrixRoom: { roomId: string; conferenceId: string };
  const log = createLogger("test", "silent");
  const now = new Date();

  function createDeps(mode: "matrix" | "jwt" | "none"): CreateRoomDeps {
    const config = configFor(mode);
    return {
      db: handle.db,
      service: createServiceClient(config),
      config,
      log,
      discardRoom: async (roomId) => {
        await deleteRoom({ homeserverUrl, adminToken }, roomId);
      },
    };
  }

  function accessDeps(mode: "matrix" | "jwt" | "none", fetchFn?: typeof fetch): ConferenceAccessDeps {
    const config = configFor(mode);
    const service = createServiceClient(config, fetchFn);
    return { jitsi: config.jitsi, readAccess: (r, u) => readRoomAccess(service, r, u), now: () => now };
  }

  async function meeting(mode: "matrix" | "jwt") {
    const room = await createManagedRoom(
      createDeps(mode),
      rows.organiser,
      createRoomInput.parse({
        kind: "meeting",
        name: "Bauausschuss",
        startsAt: "2026-12-01T10:00",
        endsAt: "2026-12-01T11:00",
        participantIds: [rows.colleague.id, rows.invitee.id],
        idempotencyKey: crypto.randomUUID(),
      }),
    );
    const roomId = room.matrixRoomId!;
    await joinRoom(organiser, roomId);
    await joinRoom(colleague, roomId);
    return { roomId, conferenceId: room.conferenceId };
  }

  const ask = (mode: "matrix" | "jwt" | "none", user: TestUser | null, room: { roomId: string; conferenceId: string }, displayName: string) =>
    conferenceAccess(accessDeps(mode), { ...room, userId: user?.userId ?? null, displayName });

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "stadtfunk-conference-"));
    embedded = await startEmbeddedDb({ dir: path.join(dir, "db"), port: await freePort() });
    handle = openDb(embedded.url);
    await runMigrations(handle);
    [organiser, colleague, invitee, outsider] = await Promise.all([createTestUser(), createTestUser(), createTestUser(), createTestUser()]);
    adminToken = (await createTestUser({ admin: true })).accessToken;
    const person = async (user: TestUser, displayName: string) =>
      (
        await handle.db
          .insert(people)
          .values({ subject: crypto.randomUUID(), displayName, matrixUserId: user.userId, username: user.localpart })
          .returning()
      )[0]!;
    rows = {
      organiser: await person(organiser, "Olga Organisatorin"),
      colleague: await person(colleague, "Carl Kollege"),
      invitee: await person(invitee, "Ines Eingeladen"),
    };
    jwtRoom = await meeting("jwt");
    matrixRoom = await meeting("matrix");
  });

  afterAll(async () => {
    await handle?.close();
    await embedded?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  describe("jwt mode", () => {
    const key = new TextEncoder().encode(APP_SECRET);

    it("mints a token for the organiser, valid for this one conference only, with moderator rights", async () => {
      const access = await ask("jwt", organiser, jwtRoom, "Olga Organisatorin");
      expect(access.mode).toBe("jwt");
      if (access.mode !== "jwt") return;
      expect(access).toMatchObject({ domain: JITSI_DOMAIN, conferenceId: jwtRoom.conferenceId, moderator: true });

      // Checked with jose independently of the portal's own code: algorithm pinned, audience and issuer fixed.
      expect(decodeProtectedHeader(access.token)).toStrictEqual({ alg: "HS256", typ: "JWT" });
      const { payload } = await jwtVerify(access.token, key, {
        algorithms: ["HS256"],
        audience: "jitsi",
        issuer: "stadtfunk",
        subject: JITSI_DOMAIN,
        currentDate: now,
      });
      expect(payload.room).toBe(jwtRoom.conferenceId.toLowerCase());
      expect(payload.room).not.toBe("*");
      // The conference named in the token is the one in the room's widget, which Element users open too.
      const widgets = (await createServiceClient(configFor("jwt")).getState(jwtRoom.roomId)).filter(
        (e) => e.type === "im.vector.modular.widgets",
      );
      expect(widgets.map((w) => (w.content.data as { conferenceId: string }).conferenceId)).toEqual([jwtRoom.conferenceId]);
      // Short-lived, valid from (about) now.
      const iat = payload.iat!;
      expect(payload.exp! - iat).toBe(300);
      expect(payload.nbf!).toBeLessThanOrEqual(iat);
      expect(Math.abs(iat - now.getTime() / 1000)).toBeLessThan(2);
      expect(access.expiresAt).toBe(new Date(payload.exp! * 1000).toISOString());
      expect(access.expiresIn).toBe(300);
      expect(payload.context).toMatchObject({
        user: { id: organiser.userId, name: "Olga Organisatorin", moderator: "true", affiliation: "owner" },
      });
      // Nothing about the person beyond the context, and the conference name says nothing about the room.
      expect(jwtRoom.conferenceId).toMatch(/^[a-z2-7]{32}$/);
    });

    it("gives a member without moderator rights a token without them", async () => {
      const access = await ask("jwt", colleague, jwtRoom, "Carl Kollege");
      if (access.mode !== "jwt") throw new Error("expected a jwt");
      expect(access.moderator).toBe(false);
      const { payload } = await jwtVerify(access.token, key, { algorithms: ["HS256"], audience: "jitsi", currentDate: now });
      expect(payload.context).toMatchObject({ user: { id: colleague.userId, moderator: "false", affiliation: "member" } });
    });

    it("is refused by a verifier that holds another key", async () => {
      const access = await ask("jwt", colleague, jwtRoom, "Carl Kollege");
      if (access.mode !== "jwt") throw new Error("expected a jwt");
      await expect(
        jwtVerify(access.token, crypto.randomBytes(32), { algorithms: ["HS256"], currentDate: now }),
      ).rejects.toThrow();
    });

    it("refuses a non-member, and someone without a Matrix account", async () => {
      await expect(ask("jwt", outsider, jwtRoom, "Otto")).rejects.toMatchObject({ code: "not-a-member", category: "forbidden" });
      await expect(ask("jwt", null, jwtRoom, "Niemand")).rejects.toMatchObject({ category: "forbidden" });
    });

    it("asks an invitee to join the room first", async () => {
      await expect(ask("jwt", invitee, jwtRoom, "Ines")).rejects.toMatchObject({ code: "join-required", category: "conflict" });
    });

    it("reports an unreachable homeserver as unavailable, not as a refusal", async () => {
      const down: typeof fetch = async () => {
        throw new TypeError("fetch failed");
      };
      const err = await conferenceAccess(accessDeps("jwt", down), {
        ...jwtRoom,
        userId: organiser.userId,
        displayName: "Olga",
      }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AppError);
      expect(err).toMatchObject({ category: "unavailable" });
    });
  });

  describe("matrix and none mode", () => {
    it("hands out no token in matrix mode: the browser wraps its own OpenID token", async () => {
      const access = await ask("matrix", colleague, matrixRoom, "Carl Kollege");
      expect(access).toStrictEqual({
        mode: "matrix",
        token: null,
        domain: JITSI_DOMAIN,
        conferenceId: conferenceIdForRoom(matrixRoom.roomId),
        roomId: matrixRoom.roomId,
      });
      await expect(ask("matrix", outsider, matrixRoom, "Otto")).rejects.toMatchObject({ category: "forbidden" });
    });

    it("refuses a room whose conference was not made for matrix mode", async () => {
      await expect(ask("matrix", organiser, jwtRoom, "Olga")).rejects.toMatchObject({ code: "conference-mode-mismatch" });
    });

    it("answers token null in none mode, for members only", async () => {
      await expect(ask("none", colleague, jwtRoom, "Carl")).resolves.toStrictEqual({
        mode: "none",
        token: null,
        domain: JITSI_DOMAIN,
        conferenceId: jwtRoom.conferenceId,
      });
      await expect(ask("none", outsider, jwtRoom, "Otto")).rejects.toMatchObject({ category: "forbidden" });
    });
  });

  describe("the UVS-compatible verifier routes, as Prosody calls them", () => {
    type Handler = (req: Request) => Promise<Response>;
    let verifyUser: Handler;
    let verifyUserInRoom: Handler;

    beforeAll(async () => {
      // The route handlers read the portal's configuration from the environment, as in the portal process.
      Object.assign(process.env, {
        MATRIX_SERVER_NAME: serverName,
        MATRIX_HOMESERVER_URL: homeserverUrl,
        APPSERVICE_AS_TOKEN: inject("asToken"),
        APPSERVICE_HS_TOKEN: inject("hsToken"),
        APPSERVICE_USER_PREFIX: inject("userPrefix"),
        AUTH_SECRET: crypto.randomBytes(24).toString("base64url"),
        OIDC_CLIENT_SECRET: crypto.randomBytes(24).toString("base64url"),
        MATRIX_ADMIN_TOKEN: adminToken,
        DATABASE_URL: embedded.url,
        LOG_LEVEL: "silent",
        JITSI_DOMAIN,
        JITSI_AUTH_MODE: "matrix",
        JITSI_VERIFIER_TOKEN: VERIFIER_TOKEN,
      });
      verifyUser = (await import("../../app/api/jitsi/verify/user/route")).POST;
      verifyUserInRoom = (await import("../../app/api/jitsi/verify/user_in_room/route")).POST;
    });

    const post = (handler: Handler, body: unknown, bearer: string | null = VERIFIER_TOKEN) =>
      handler(
        new Request("http://portal.test/api/jitsi/verify", {
          method: "POST",
          headers: { "Content-Type": "application/json", ...(bearer ? { Authorization: `Bearer ${bearer}` } : {}) },
          body: typeof body === "string" ? body : JSON.stringify(body),
        }),
      );

    it("accepts a joined member's real OpenID token, with the room's power levels", async () => {
      const token = await openIdToken(colleague);
      const res = await post(verifyUserInRoom, {
        token: token.access_token,
        room_id: matrixRoom.roomId,
        matrix_server_name: token.matrix_server_name,
      });
      expect(res.status).toBe(200);
      expect(res.headers.get("cache-control")).toBe("no-store");
      const body = (await res.json()) as { power_levels: { room: Record<string, unknown>; user: number } };
      expect(body).toMatchObject({ results: { user: true, room_membership: true }, user_id: colleague.userId });
      expect(body.power_levels.user).toBe(0);
      expect(body.power_levels.room).not.toHaveProperty("users");

      // The organiser (power 100) becomes a Jitsi owner under Prosody's state_default rule.
      const own = await openIdToken(organiser);
      const organiserBody = (await (
        await post(verifyUserInRoom, { token: own.access_token, room_id: matrixRoom.roomId, matrix_server_name: serverName })
      ).json()) as { power_levels: { room: { state_default: number }; user: number } };
      expect(organiserBody.power_levels.user).toBeGreaterThanOrEqual(organiserBody.power_levels.room.state_default);

      const who = await post(verifyUser, { token: token.access_token, matrix_server_name: serverName });
      expect(await who.json()).toStrictEqual({ results: { user: true }, user_id: colleague.userId });
    });

    it("says who a non-member is, and that they are not in the room", async () => {
      const token = await openIdToken(outsider);
      const res = await post(verifyUserInRoom, { token: token.access_token, room_id: matrixRoom.roomId, matrix_server_name: serverName });
      expect(await res.json()).toStrictEqual({
        results: { user: true, room_membership: false },
        user_id: outsider.userId,
        power_levels: null,
      });
    });

    it("does not let an invitee in before they joined", async () => {
      const token = await openIdToken(invitee);
      const res = await post(verifyUserInRoom, { token: token.access_token, room_id: matrixRoom.roomId, matrix_server_name: serverName });
      expect(await res.json()).toMatchObject({ results: { user: true, room_membership: false } });
    });

    it("rejects a forged token", async () => {
      const res = await post(verifyUserInRoom, {
        token: crypto.randomBytes(18).toString("base64url"),
        room_id: matrixRoom.roomId,
        matrix_server_name: serverName,
      });
      expect(res.status).toBe(200);
      expect(await res.json()).toStrictEqual({ results: { user: false, room_membership: null }, user_id: null, power_levels: null });
    });

    it("rejects a real token that names another server", async () => {
      const token = await openIdToken(colleague);
      for (const other of ["evil.example", "stadtwerke.example:8448"]) {
        const res = await post(verifyUserInRoom, { token: token.access_token, room_id: matrixRoom.roomId, matrix_server_name: other });
        expect(await res.json()).toMatchObject({ results: { user: false }, user_id: null });
        const who = await post(verifyUser, { token: token.access_token, matrix_server_name: other });
        expect(await who.json()).toStrictEqual({ results: { user: false }, user_id: null });
      }
    });

    it("answers 403 {} without the right bearer token, and 400 to a request without a room", async () => {
      const token = await openIdToken(colleague);
      const body = { token: token.access_token, room_id: matrixRoom.roomId, matrix_server_name: serverName };
      for (const bearer of [null, "wrong", `${VERIFIER_TOKEN}x`]) {
        const res = await post(verifyUserInRoom, body, bearer);
        expect(res.status).toBe(403);
        expect(await res.json()).toStrictEqual({});
      }
      const bad = await post(verifyUserInRoom, { token: token.access_token });
      expect(bad.status).toBe(400);
      expect(await bad.text()).toMatch(/room_id/);
      const notJson = await post(verifyUser, "{not json");
      expect(notJson.status).toBe(400);
    });
  });
});
