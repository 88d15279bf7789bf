import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { people } from "../../drizzle/schema";
import { parseConfig, type AppConfig } from "../../lib/config/load";
import { openDb, runMigrations, type DbHandle } from "../../lib/db/client";
import { startEmbeddedDb, type EmbeddedDb } from "../../lib/db/embedded-server";
import { AppError } from "../../lib/errors";
import { conferenceIdForRoom } from "../../lib/jitsi/conference-id";
import { createLogger } from "../../lib/log";
import { deleteRoom } from "../../lib/matrix/admin-users";
import { createServiceClient } from "../../lib/matrix/service-client";
import { createManagedRoom, type CreateRoomDeps } from "../../lib/rooms/create-room";
import { createRoomInput } from "../../lib/rooms/create-room-input";
import { readRoomAccess } from "../../lib/rooms/room-access";
import { deliverPendingInvitations } from "../../lib/rooms/pending-invitations";
import { freePort } from "../../scripts/stack/ports";
import { createTestUser, type TestUser } from "./setup/matrix-users";

function configFor(mode: "matrix" | "jwt" | "none"): AppConfig {
  return parseConfig({
    MATRIX_SERVER_NAME: inject("serverName"),
    MATRIX_HOMESERVER_URL: inject("homeserverUrl"),
    APPSERVICE_AS_TOKEN: inject("asToken"),
    APPSERVICE_HS_TOKEN: inject("hsToken"),
    APPSERVICE_USER_PREFIX: inject("userPrefix"),
    JITSI_DOMAIN: "meet.stadt.example",
    JITSI_AUTH_MODE: mode,
    JITSI_APP_SECRET: mode === "jwt" ? "x".repeat(40) : undefined,
  });
}

async function stateOf(user: TestUser, roomId: string) {
  const res = await fetch(`${inject("homeserverUrl")}/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/state`, {
    headers: { Authorization: `Bearer ${user.accessToken}` },
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { type: string; state_key: string; content: Record<string, unknown> }[];
}

async function join(user: TestUser, roomId: string) {
  const res = await fetch(`${inject("homeserverUrl")}/_matrix/client/v3/join/${encodeURIComponent(roomId)}`, {
    method: "POST",
    headers: { Authorization: `Bearer ${user.accessToken}`, "Content-Type": "application/json" },
    body: "{}",
  });
  expect(res.status).toBe(200);
}

describe("creating a managed room with a call (real Synapse)", () => {
  let embedded: EmbeddedDb;
  let handle: DbHandle;
  let dir: string;
  let organiser: TestUser;
  let colleague: TestUser;
  let outsider: TestUser;
  let organiserRow: typeof people.$inferSelect;
  let colleagueRow: typeof people.$inferSelect;
  const log = createLogger("test", "silent");

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "stadtfunk-rooms-"));
    embedded = await startEmbeddedDb({ dir: path.join(dir, "db"), port: await freePort() });
    handle = openDb(embedded.url);
    await runMigrations(handle);
    [organiser, colleague, outsider] = await Promise.all([createTestUser(), createTestUser(), createTestUser()]);
    const admin = await createTestUser({ admin: true });
    adminToken = admin.accessToken;
    [organiserRow] = await handle.db
      .insert(people)
      .values({ subject: crypto.randomUUID(), displayName: "Olga Organisatorin", matrixUserId: organiser.userId, username: organiser.localpart })
      .returning() as [typeof people.$inferSelect];
    [colleagueRow] = await handle.db
      .insert(people)
      .values({ subject: crypto.randomUUID(), displayName: "Carl Kollege", matrixUserId: colleague.userId, username: colleague.localpart })
      .returning() as [typeof people.$inferSelect];
  });
  let adminToken: string;

  afterAll(async () => {
    await handle?.close();
    await embedded?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function deps(mode: "matrix" | "jwt" | "none", calls: string[], fetchFn?: typeof fetch): CreateRoomDeps {
    const config = configFor(mode);
    const counting: typeof fetch = async (input, init) => {
      calls.push(`${init?.method ?? "GET"} ${String(input).split("?")[0]}`);
      return (fetchFn ?? fetch)(input, init);
    };
    return {
      db: handle.db,
      service: createServiceClient(config, counting),
      config,
      log,
      discardRoom: async (roomId) => {
        await deleteRoom({ homeserverUrl: config.matrix.homeserverUrl, adminToken }, roomId);
      },
    };
  }

  const meeting = (over: Record<string, unknown> = {}) =>
    createRoomInput.parse({
      kind: "meeting",
      name: "Bauausschuss Vorbesprechung",
      topic: "Tagesordnung",
      startsAt: "2026-12-01T10:00",
      endsAt: "2026-12-01T11:00",
      participantIds: [colleagueRow.id],
      idempotencyKey: crypto.randomUUID(),
      ...over,
    });

  it("creates the room in two homeserver calls in matrix mode, with the state Element expects", async () => {
    const calls: string[] = [];
    const room = await createManagedRoom(deps("matrix", calls), organiserRow, meeting());
    expect(calls).toEqual([
      expect.stringMatching(/^POST .*\/createRoom$/),
      expect.stringMatching(/^PUT .*\/state\/im\.vector\.modular\.widgets\//),
    ]);
    const roomId = room.matrixRoomId!;
    expect(room.conferenceId).toBe(conferenceIdForRoom(roomId));

    // Read by a second client, as another user would see it in Element.
    await join(colleague, roomId);
    const state = await stateOf(colleague, roomId);
    const get = (type: string, key = "") => state.find((e) => e.type === type && e.state_key === key)?.content;

    expect(get("m.room.create")?.room_version).toBe("12");
    expect(get("m.room.join_rules")).toEqual({ join_rule: "invite" });
    expect(get("m.room.history_visibility")).toEqual({ history_visibility: "shared" });
    expect(get("m.room.server_acl")).toEqual({ allow: [inject("serverName")], deny: [], allow_ip_literals: false });
    const pl = get("m.room.power_levels") as { users: Record<string, number>; events: Record<string, number> };
    // The policy and invitations bots act as users of their own, invited with their power in the same call.
    const prefix = inject("userPrefix");
    const server = inject("serverName");
    expect(pl.users).toEqual({ [organiser.userId]: 100, [`@${prefix}regeln:${server}`]: 100, [`@${prefix}einladungen:${server}`]: 100 });
    expect(pl.events["im.vector.modular.widgets"]).toBe(50);
    expect(get("de.stadtfunk.meeting")).toMatchObject({
      kind: "meeting",
      organiser: organiser.userId,
      starts_at: "2026-12-01T09:00:00.000Z",
      ends_at: "2026-12-01T10:00:00.000Z",
    });
    const widget = get("im.vector.modular.widgets", room.widgetId) as { type: string; data: Record<string, unknown>; url: string };
    expect(widget.type).toBe("jitsi");
    expect(widget.data).toMatchObject({ domain: "meet.stadt.example", conferenceId: room.conferenceId, auth: "openidtoken-jwt" });
    expect(widget.url).toContain("auth=openidtoken-jwt");
    expect(get("io.element.widgets.layout")).toEqual({
      widgets: { [room.widgetId]: { container: "top", index: 0, width: 100, height: expect.any(Number) } },
    });
    const members = state.filter((e) => e.type === "m.room.member").map((e) => [e.state_key, e.content.membership]);
    expect(members).toEqual(
      expect.arrayContaining([
        [organiser.userId, "invite"],
        [colleague.userId, "join"],
      ]),
    );
    // The service, never a person, is the creator.
    const create = state.find((e) => e.type === "m.room.create") as unknown as { sender: string };
    expect(create.sender).toMatch(new RegExp(`^@${inject("userPrefix")}`));
  });

  it.each(["jwt", "none"] as const)("creates the room in one homeserver call in %s mode", async (mode) => {
    const calls: string[] = [];
    const room = await createManagedRoom(deps(mode, calls), organiserRow, meeting());
    expect(calls).toHaveLength(1);
    expect(room.conferenceId).toMatch(/^[a-z2-7]{32}$/);
    await join(organiser, room.matrixRoomId!);
    const widget = (await stateOf(organiser, room.matrixRoomId!)).find((e) => e.type === "im.vector.modular.widgets");
    expect(widget?.content.data).toMatchObject({ conferenceId: room.conferenceId });
    expect(widget?.content.data).not.toHaveProperty("auth");
  });

  it("creates one room, not two, for a double click (same idempotency key)", async () => {
    const input = meeting();
    const calls: string[] = [];
    const [a, b] = await Promise.all([
      createManagedRoom(deps("none", calls), organiserRow, input),
      createManagedRoom(deps("none", calls), organiserRow, input),
    ]);
    expect(a.matrixRoomId).toBe(b.matrixRoomId);
    expect(calls).toHaveLength(1);
  });

  it("leaves nothing behind when the homeserver is down", async () => {
    const down: typeof fetch = async () => {
      throw new TypeError("fetch failed");
    };
    const input = meeting();
    await expect(createManagedRoom(deps("none", [], down), organiserRow, input)).rejects.toMatchObject({
      category: "unavailable",
    });
    const rows = await handle.pool.query("select count(*)::int as n from rooms where idempotency_key = $1", [input.idempotencyKey]);
    expect(rows.rows[0].n).toBe(0);
  });

  it("discards the room when the widget cannot be written (matrix mode)", async () => {
    const calls: string[] = [];
    const failWidget: typeof fetch = async (input, init) => {
      if (String(input).includes("im.vector.modular.widgets")) return new Response('{"errcode":"M_UNKNOWN"}', { status: 500 });
      return fetch(input, init);
    };
    const input = meeting();
    await expect(createManagedRoom(deps("matrix", calls, failWidget), organiserRow, input)).rejects.toBeInstanceOf(AppError);
    const rows = await handle.pool.query("select count(*)::int as n from rooms where idempotency_key = $1", [input.idempotencyKey]);
    expect(rows.rows[0].n).toBe(0);
  });

  it("reads membership and moderator rights from the homeserver", async () => {
    const room = await createManagedRoom(deps("none", []), organiserRow, meeting());
    const service = createServiceClient(configFor("none"));
    const o = await readRoomAccess(service, room.matrixRoomId!, organiser.userId);
    expect(o).toMatchObject({ membership: "invite", powerLevel: 100, isModerator: true });
    const c = await readRoomAccess(service, room.matrixRoomId!, colleague.userId);
    expect(c).toMatchObject({ membership: "invite", powerLevel: 0, isModerator: false });
    const x = await readRoomAccess(service, room.matrixRoomId!, outsider.userId);
    expect(x.membership).toBeNull();
  });

  it("keeps an invitation for someone who never signed in and delivers it at their first sign-in", async () => {
    const newcomer = await createTestUser();
    const login = newcomer.localpart.toLowerCase();
    const room = await createManagedRoom(deps("none", []), organiserRow, meeting({ participantIds: [], inviteLogins: login }));
    const service = createServiceClient(configFor("none"));
    expect((await readRoomAccess(service, room.matrixRoomId!, newcomer.userId)).membership).toBeNull();

    const [row] = await handle.db
      .insert(people)
      .values({ subject: crypto.randomUUID(), displayName: "Neu", username: login, matrixUserId: newcomer.userId })
      .returning();
    const d = { db: handle.db, service, log };
    expect(await deliverPendingInvitations(d, row!, newcomer.userId)).toBe(1);
    expect((await readRoomAccess(service, room.matrixRoomId!, newcomer.userId)).membership).toBe("invite");
    expect(await deliverPendingInvitations(d, row!, newcomer.userId)).toBe(0); // never twice
  });

  it.each([
    [{ name: "" }, "name"],
    [{ name: "x".repeat(121) }, "name"],
    [{ endsAt: "2026-12-01T09:00" }, "endsAt"],
    [{ startsAt: undefined }, "startsAt"],
    [{ participantIds: ["not-a-uuid"] }, "participantIds"],
    [{ idempotencyKey: "1" }, "idempotencyKey"],
  ])("refuses bad input %j on field %s before any homeserver call", (over, field) => {
    const r = createRoomInput.safeParse({
      kind: "meeting",
      name: "Ok",
      startsAt: "2026-12-01T10:00",
      endsAt: "2026-12-01T11:00",
      idempotencyKey: crypto.randomUUID(),
      ...over,
    });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.path[0])).toContain(field);
  });
});
