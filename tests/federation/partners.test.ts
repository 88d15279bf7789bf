import { randomBytes } from "node:crypto";
import tls from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rooms, type Room } from "../../drizzle/schema";
import { createBotClient } from "../../bots/shared/homeserver";
import { federationRoomClient } from "../../bots/policy/federation-acl";
import { latestFederationChange, processFederationChanges, type AclSyncDeps } from "../../lib/federation/acl-sync";
import { invitePartnerUser } from "../../lib/federation/invite-partner-user";
import { approvedPartnerServers, changePartnerStatus, createPartner } from "../../lib/federation/partners";
import { profileLookup } from "../../lib/federation/profile-lookup";
import { setRoomPartners } from "../../lib/federation/room-partners";
import { createTestDb, type TestDb } from "../../lib/db/testing/test-db";
import { checkOpenIdToken } from "../../lib/jitsi/openid-verifier";
import { verifierDeps } from "../../lib/jitsi/conference-access";
import { randomConferenceName } from "../../lib/jitsi/conference-id";
import { createLogger } from "../../lib/log";
import { registerUser } from "../../lib/matrix/admin-register";
import { createServiceClient } from "../../lib/matrix/service-client";
import { insertPerson } from "../../lib/people/testing/seed";
import { buildCreateRoomBody } from "../../lib/rooms/room-state";
import { skipReason, startFederation, type Federation, type ServerKey, type TestHomeserver } from "./setup/three-homeservers";

const skip = skipReason();
if (skip) console.warn(`Skipping federation tests: ${skip}`);

interface User {
  userId: string;
  token: string;
  server: TestHomeserver;
}

async function api(user: User, method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${user.server.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${user.token}`, ...(body !== undefined ? { "Content-Type": "application/json" } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
    signal: AbortSignal.timeout(60_000),
  });
  return { status: res.status, json: (await res.json().catch(() => ({}))) as Record<string, unknown> };
}

async function newUser(server: TestHomeserver, name: string, displayname: string): Promise<User> {
  const r = await registerUser({
    homeserverUrl: server.url,
    sharedSecret: server.sharedSecret,
    username: `${name}-${randomBytes(3).toString("hex")}`,
    password: randomBytes(12).toString("base64url"),
    admin: false,
    displayname,
  });
  return { userId: r.user_id, token: r.access_token, server };
}

async function eventually<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 45_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

const enc = encodeURIComponent;
async function messages(user: User, roomId: string): Promise<{ body?: string; sender: string }[]> {
  const r = await api(user, "GET", `/_matrix/client/v3/rooms/${enc(roomId)}/messages?dir=b&limit=50`);
  if (r.status !== 200) return [];
  return (r.json.chunk as { type: string; sender: string; content: { body?: string } }[])
    .filter((e) => e.type === "m.room.message")
    .map((e) => ({ body: e.content.body, sender: e.sender }));
}

describe.skipIf(skip !== null)("federation with approved partner organisations (three real homeservers over TLS)", () => {
  let fed: Federation;
  let t: TestDb;
  let anna: User;
  let paula: User;
  let eve: User;
  let room: Room;
  let companyId: string;
  let sync: AclSyncDeps;
  let serviceConfig: Parameters<typeof createServiceClient>[0];
  const widgetId = `stadtfunk-${randomBytes(6).toString("hex")}`;

  beforeAll(async () => {
    const started = performance.now();
    // The city federates with the approved company only; the third server would federate with anyone.
    [fed, t] = await Promise.all([
      startFederation({ city: ["company"], company: ["city"], other: ["city", "company"] }),
      createTestDb(),
    ]);
    console.log(`three homeservers up in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    // The verifier calls partners over https; trust the test CA in this process only.
    tls.setDefaultCACertificates([...tls.getCACertificates("default"), fed.caPem]);
    const city = fed.servers.city;
    [anna, paula, eve] = await Promise.all([
      newUser(city, "anna", "Anna Amt"),
      newUser(fed.servers.company, "paula", "Paula Partner"),
      newUser(fed.servers.other, "eve", "Eve Extern"),
    ]);
    const admin = await insertPerson(t.db, { subject: "anna", displayName: "Anna Amt", role: "admin", matrixUserId: anna.userId });
    const company = await createPartner(t.db, admin.id, { name: "Stadtwerke", contact: "it@stadtwerke.test", servers: "company.test" }, city.serverName);
    const other = await createPartner(t.db, admin.id, { name: "Andere", contact: "", servers: "other.test" }, city.serverName);
    if (!company.ok || !other.ok) throw new Error("partners not created");
    companyId = company.partner.id;
    await changePartnerStatus(t.db, admin.id, companyId, "approved");

    serviceConfig = {
      appservice: { id: "stadtfunk", port: 1, url: "http://127.0.0.1:1", userPrefix: city.userPrefix, asToken: city.asToken, hsToken: "x".repeat(16) },
      matrix: { serverName: city.serverName, homeserverUrl: city.url } as Parameters<typeof createServiceClient>[0]["matrix"],
    };
    const service = createServiceClient(serviceConfig);
    const conferenceId = randomConferenceName();
    const roomId = await service.createRoom(
      buildCreateRoomBody({
        kind: "team",
        name: "Baustelle Hauptstraße",
        topic: "",
        startsAt: null,
        endsAt: null,
        organiserUserId: anna.userId,
        inviteUserIds: [anna.userId],
        serverName: city.serverName,
        jitsi: { domain: "meet.city.test", authMode: "jwt" },
        conferenceId,
        widgetId,
      }),
    );
    [room] = (await t.db
      .insert(rooms)
      .values({
        matrixRoomId: roomId,
        kind: "team",
        name: "Baustelle Hauptstraße",
        organiserId: admin.id,
        access: "invited",
        conferenceId,
        widgetId,
        idempotencyKey: "federation-test",
        status: "active",
      })
      .returning()) as [Room];
    expect((await api(anna, "POST", `/_matrix/client/v3/join/${enc(roomId)}`, {})).status).toBe(200);
    const conn = { homeserverUrl: city.url, asToken: city.asToken };
    sync = {
      db: t.db,
      client: federationRoomClient(conn, createBotClient(conn, service.userId)),
      ownServerName: city.serverName,
      logger: createLogger("federation-test", "silent"),
    };
  }, 300_000);

  afterAll(async () => {
    await fed?.stop();
    await t?.close();
  });

  const acl = async () => (await api(anna, "GET", `/_matrix/client/v3/rooms/${enc(room.matrixRoomId!)}/state/m.room.server_acl/`)).json;

  it("opens a room to the approved company: exact ACL, invitation with the name from federation, messages both ways, the call widget", async () => {
    await setRoomPartners(t.db, { room, partnerIds: [companyId], actor: `person:test` });
    const applied = await processFederationChanges(sync, 0);
    expect(applied.rooms.map((r) => r.roomId)).toEqual([room.matrixRoomId]);
    expect(await acl()).toEqual({ allow: ["city.test", "company.test"], deny: [], allow_ip_literals: false });

    const service = createServiceClient(serviceConfig);
    const invited = await invitePartnerUser(
      { db: t.db, service, lookupProfile: profileLookup(serviceConfig) },
      { matrixRoomId: room.matrixRoomId!, inviterUserId: anna.userId, invitee: paula.userId },
    );
    expect(invited).toEqual({ userId: paula.userId, displayName: "Paula Partner", organisation: "Stadtwerke" });

    const roomId = room.matrixRoomId!;
    const join = await api(paula, "POST", `/_matrix/client/v3/join/${enc(roomId)}?server_name=${enc(fed.servers.city.serverName)}`, {});
    expect(join.status, JSON.stringify(join.json)).toBe(200);

    await api(anna, "PUT", `/_matrix/client/v3/rooms/${enc(roomId)}/send/m.room.message/t1`, { msgtype: "m.text", body: "Hallo Stadtwerke" });
    await eventually("the city's message at the company", async () =>
      (await messages(paula, roomId)).some((m) => m.body === "Hallo Stadtwerke") || undefined,
    );
    await api(paula, "PUT", `/_matrix/client/v3/rooms/${enc(roomId)}/send/m.room.message/t2`, { msgtype: "m.text", body: "Hallo Stadt" });
    await eventually("the company's message in the city", async () =>
      (await messages(anna, roomId)).some((m) => m.body === "Hallo Stadt" && m.sender === paula.userId) || undefined,
    );

    const widget = await api(paula, "GET", `/_matrix/client/v3/rooms/${enc(roomId)}/state/im.vector.modular.widgets/${enc(widgetId)}`);
    expect(widget.status).toBe(200);
    expect(widget.json).toMatchObject({ type: "jitsi" });
    expect(JSON.stringify(widget.json)).toContain("meet.city.test");

    // The conference verifier accepts the partner's OpenID token, asking the company's server itself.
    const openid = await api(paula, "POST", `/_matrix/client/v3/user/${enc(paula.userId)}/openid/request_token`, {});
    const rt = {
      config: { matrix: { serverName: fed.servers.city.serverName, homeserverUrl: fed.servers.city.url }, jitsi: { verifierToken: "t".repeat(32) } },
      service,
    } as unknown as Parameters<typeof verifierDeps>[0];
    const token = { access_token: String(openid.json.access_token), matrix_server_name: String(openid.json.matrix_server_name) };
    expect(token.matrix_server_name).toBe("company.test");
    expect(await checkOpenIdToken(token, verifierDeps(rt, undefined, await approvedPartnerServers(t.db)))).toEqual({ ok: true, userId: paula.userId });
    // A token claiming an approved server but not issued by it is refused by that server.
    expect(await checkOpenIdToken({ ...token, access_token: "forged" }, verifierDeps(rt, undefined, await approvedPartnerServers(t.db)))).toEqual({
      ok: false,
      reason: "token_rejected",
    });
  });

  it("keeps the unapproved third server out: it can neither join nor invite, and the portal refuses its ids without a homeserver call", async () => {
    const roomId = room.matrixRoomId!;
    const join = await api(eve, "POST", `/_matrix/client/v3/join/${enc(roomId)}?server_name=${enc(fed.servers.city.serverName)}`, {});
    expect(join.status).toBeGreaterThanOrEqual(400);
    const cityInvites = await api(anna, "POST", `/_matrix/client/v3/rooms/${enc(roomId)}/invite`, { user_id: eve.userId });
    expect(cityInvites.status).toBeGreaterThanOrEqual(400);

    const created = await api(eve, "POST", "/_matrix/client/v3/createRoom", { preset: "private_chat" });
    expect(created.status).toBe(200);
    const eveInvites = await api(eve, "POST", `/_matrix/client/v3/rooms/${enc(String(created.json.room_id))}/invite`, { user_id: anna.userId });
    expect(eveInvites.status).toBeGreaterThanOrEqual(400);

    let homeserverCalls = 0;
    const counting: typeof fetch = (...args) => {
      homeserverCalls++;
      return fetch(...args);
    };
    const service = createServiceClient(serviceConfig, counting);
    await expect(
      invitePartnerUser(
        { db: t.db, service, lookupProfile: profileLookup(serviceConfig, counting) },
        { matrixRoomId: roomId, inviterUserId: anna.userId, invitee: eve.userId },
      ),
    ).rejects.toMatchObject({ code: "invitee-not-partner", status: 403 });
    expect(homeserverCalls).toBe(0);
    const members = await api(anna, "GET", `/_matrix/client/v3/rooms/${enc(roomId)}/members`);
    expect(JSON.stringify(members.json)).not.toContain(eve.userId);
  });

  it("suspending the company removes its user, closes the ACL and rejects its events afterwards", async () => {
    const roomId = room.matrixRoomId!;
    const admin = (await t.db.query.people.findFirst())!;
    const cursor = await latestFederationChange(t.db);
    await changePartnerStatus(t.db, admin.id, companyId, "suspended");
    const started = performance.now();
    await processFederationChanges(sync, cursor);
    console.log(`suspension reached the room in ${(performance.now() - started).toFixed(0)} ms`);
    expect(await acl()).toEqual({ allow: ["city.test"], deny: [], allow_ip_literals: false });
    const member = await api(anna, "GET", `/_matrix/client/v3/rooms/${enc(roomId)}/state/m.room.member/${enc(paula.userId)}`);
    expect(member.json.membership).toBe("leave");

    await api(paula, "PUT", `/_matrix/client/v3/rooms/${enc(roomId)}/send/m.room.message/t3`, { msgtype: "m.text", body: "Noch da?" });
    const rejoin = await api(paula, "POST", `/_matrix/client/v3/join/${enc(roomId)}?server_name=${enc(fed.servers.city.serverName)}`, {});
    expect(rejoin.status).toBeGreaterThanOrEqual(400);
    await new Promise((r) => setTimeout(r, 2_000));
    expect((await messages(anna, roomId)).some((m) => m.body === "Noch da?")).toBe(false);

    const openid = await api(paula, "POST", `/_matrix/client/v3/user/${enc(paula.userId)}/openid/request_token`, {});
    const rt = {
      config: { matrix: { serverName: fed.servers.city.serverName, homeserverUrl: fed.servers.city.url }, jitsi: { verifierToken: "t".repeat(32) } },
      service: createServiceClient(serviceConfig),
    } as unknown as Parameters<typeof verifierDeps>[0];
    const token = { access_token: String(openid.json.access_token), matrix_server_name: String(openid.json.matrix_server_name) };
    expect(await checkOpenIdToken(token, verifierDeps(rt, undefined, await approvedPartnerServers(t.db)))).toEqual({
      ok: false,
      reason: "server_not_allowed",
    });
  });
});

export type { ServerKey };
