import { count, eq } from "drizzle-orm";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { guestLinks, guests } from "../../drizzle/schema";
import { AppError } from "../../lib/errors";
import { guestConference, guestMatrixCredentials } from "../../lib/guests/guest-access";
import type { GuestDeps } from "../../lib/guests/guest-deps";
import { createGuestLink, revokeGuestLink, type Moderator } from "../../lib/guests/guest-links";
import { lookUpGuestLink, redeemGuestLink } from "../../lib/guests/guest-redemption";
import { removeDueGuests } from "../../lib/guests/guest-removal";
import { findGuestSession } from "../../lib/guests/guest-sessions";
import { addStaff, createMeeting, guestDepsFor, testClock, type StaffMember } from "../../lib/guests/testing/guest-fixture";
import { startGuestHomeserver, type GuestHomeserver } from "../../lib/guests/testing/guest-homeserver";
import { createGuestInputFor, redeemFor, secretOf } from "../../lib/guests/testing/guest-inputs";
import type { Db } from "../../lib/db/client";
import { createTestDb, type TestDb } from "../../lib/db/testing/test-db";
import { readRoomAccess } from "../../lib/rooms/room-access";

/** A raw client-server call with a given token: what the guest's browser could do with its own. */
async function cs(hs: GuestHomeserver, token: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${hs.homeserverUrl}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json().catch(() => ({}))) as Record<string, unknown> };
}

const enc = encodeURIComponent;

describe("guests by invite link (real Synapse with the guest-limits module)", () => {
  let hs: GuestHomeserver;
  let t: TestDb;
  let db: Db;
  let organiser: StaffMember;
  let colleague: StaffMember;
  const clock = testClock(new Date("2030-03-01T08:00:00Z"));
  let deps: GuestDeps;
  let mod: Moderator;

  beforeAll(async () => {
    [hs, t] = await Promise.all([startGuestHomeserver(), createTestDb()]);
    db = t.db;
    organiser = await addStaff(db, hs.config, hs.sharedSecret, "Olga Organisatorin");
    colleague = await addStaff(db, hs.config, hs.sharedSecret, "Carl Kollege");
    deps = guestDepsFor(db, hs.config, clock.now);
    mod = { person: organiser.person, matrixUserId: organiser.matrix.user_id };
  });

  afterAll(async () => {
    await t?.close();
    await hs?.stop();
  });

  /** A meeting with the colleague invited and joined, and a redeemed guest in it. */
  async function meetingWithGuest(opts: { maxUses?: number; name?: string } = {}) {
    const room = await createMeeting(db, hs.config, organiser.person, { participantIds: [colleague.person.id] });
    await cs(hs, colleague.matrix.access_token, "POST", `/_matrix/client/v3/join/${enc(room.matrixRoomId)}`, {});
    const { link, url } = await createGuestLink(deps, mod, room.matrixRoomId, createGuestInputFor({ maxUses: opts.maxUses ?? 1 }));
    const outcome = await redeemGuestLink(deps, redeemFor(secretOf(url), { displayName: opts.name ?? "Gabi Gast" }), null);
    if (outcome.kind !== "redeemed") throw new Error(`redemption refused: ${outcome.kind}`);
    const session = await findGuestSession(db, outcome.sessionId, clock.now());
    const creds = guestMatrixCredentials(deps, hs.homeserverUrl, session);
    if (!session || !creds) throw new Error("no guest session");
    return { room, link, url, outcome, session, creds };
  }

  it("creates a guest in the service's namespace, named '(Gast)', joined to exactly that room with power level 0", async () => {
    const { room, outcome, session, creds } = await meetingWithGuest();
    expect(outcome).toMatchObject({ kind: "redeemed", status: "admitted", ready: true });
    expect(session.guest.matrixUserId).toMatch(/^@_stadtfunk_guest_[0-9a-f]{20}:stadtfunk\.test$/);

    const access = await readRoomAccess(deps.service as never, room.matrixRoomId, session.guest.matrixUserId);
    expect(access.membership).toBe("join");
    expect(access.powerLevel).toBe(0);
    expect(access.isModerator).toBe(false);
    const member = access.state.find((e) => e.type === "m.room.member" && e.state_key === session.guest.matrixUserId);
    expect(member?.content.displayname).toBe("Gabi Gast (Gast)");
    expect(member?.sender).toBe(session.guest.matrixUserId);
    const history = access.state.find((e) => e.type === "m.room.history_visibility");
    expect(history?.content.history_visibility).toBe("joined");

    // The browser's own token is the guest's, and sees exactly one room.
    const whoami = await cs(hs, creds.accessToken, "GET", "/_matrix/client/v3/account/whoami");
    expect(whoami.body.user_id).toBe(session.guest.matrixUserId);
    const joined = await cs(hs, creds.accessToken, "GET", "/_matrix/client/v3/joined_rooms");
    expect(joined.body.joined_rooms).toEqual([room.matrixRoomId]);

    // The guest's call token: this conference only, no moderator or affiliation claim.
    const conference = await guestConference(deps, session);
    expect(conference.mode).toBe("jwt");
    const claims = decodeJwt(conference.token!) as { room: string; context: { user: Record<string, string> } };
    expect(claims.room).toBe(room.conferenceId.toLowerCase());
    expect(claims.context.user).toEqual({ id: session.guest.matrixUserId, name: "Gabi Gast (Gast)" });

    const [row] = await db.select().from(guests).where(eq(guests.id, session.guest.id));
    expect(row).toMatchObject({ acceptedRulesVersion: 1, displayName: "Gabi Gast", status: "admitted" });
    expect(row!.acceptedAt).toBeInstanceOf(Date);
    expect(row!.joinedAt).toBeInstanceOf(Date);
  });

  it("refuses the guest's own token to create rooms, invite, join other rooms or change room state", async () => {
    const { room, creds, session } = await meetingWithGuest({ name: "Theo Tester" });
    const token = creds.accessToken;
    const guestId = session.guest.matrixUserId;

    const create = await cs(hs, token, "POST", "/_matrix/client/v3/createRoom", { preset: "private_chat", invite: [colleague.matrix.user_id], is_direct: true });
    expect(create).toMatchObject({ status: 403, body: { errcode: "M_FORBIDDEN" } });

    const invite = await cs(hs, token, "POST", `/_matrix/client/v3/rooms/${enc(room.matrixRoomId)}/invite`, { user_id: organiser.matrix.user_id });
    expect(invite).toMatchObject({ status: 403, body: { errcode: "M_FORBIDDEN" } });

    const topic = await cs(hs, token, "PUT", `/_matrix/client/v3/rooms/${enc(room.matrixRoomId)}/state/m.room.topic/`, { topic: "übernommen" });
    expect(topic).toMatchObject({ status: 403, body: { errcode: "M_FORBIDDEN" } });

    // A public room staff opened: the guest may not walk in.
    const open = await cs(hs, colleague.matrix.access_token, "POST", "/_matrix/client/v3/createRoom", { preset: "public_chat" });
    const openId = open.body.room_id as string;
    const walkIn = await cs(hs, token, "POST", `/_matrix/client/v3/join/${enc(openId)}`, {});
    expect(walkIn).toMatchObject({ status: 403, body: { errcode: "M_FORBIDDEN" } });
    // Nor may staff pull a guest into another room.
    const pull = await cs(hs, colleague.matrix.access_token, "POST", `/_matrix/client/v3/rooms/${enc(openId)}/invite`, { user_id: guestId });
    expect(pull).toMatchObject({ status: 403, body: { errcode: "M_FORBIDDEN" } });
    const aliasRes = await cs(hs, token, "PUT", `/_matrix/client/v3/directory/room/${enc("#gast-raum:stadtfunk.test")}`, { room_id: room.matrixRoomId });
    expect(aliasRes.status).toBe(403);

    // Renaming oneself without the guest marker does not reach the room.
    await cs(hs, token, "PUT", `/_matrix/client/v3/profile/${enc(guestId)}/displayname`, { displayname: "Bürgermeister" });
    const member = await cs(hs, colleague.matrix.access_token, "GET", `/_matrix/client/v3/rooms/${enc(room.matrixRoomId)}/state/m.room.member/${enc(guestId)}`);
    expect(member.body.displayname).toBe("Theo Tester (Gast)");

    // Staff do not find guests in the directory; guests find nobody.
    const search = await cs(hs, organiser.matrix.access_token, "POST", "/_matrix/client/v3/user_directory/search", { search_term: "Theo" });
    expect(search.body.results).toEqual([]);
    const guestSearch = await cs(hs, token, "POST", "/_matrix/client/v3/user_directory/search", { search_term: "Olga" });
    expect(guestSearch.body.results).toEqual([]);

    // The guest may still talk, and leave.
    const say = await cs(hs, token, "PUT", `/_matrix/client/v3/rooms/${enc(room.matrixRoomId)}/send/m.room.message/t1`, { msgtype: "m.text", body: "Guten Tag" });
    expect(say.status).toBe(200);
  });

  it("holds the limits where power levels would not: a room that lets everyone change state and invite", async () => {
    const { creds, session } = await meetingWithGuest({ name: "Paula Probe" });
    // The service's bot creates a room where users_default is 100 and invites the guest (allowed: the service invites).
    const created = await cs(hs, hs.config.appservice.asToken, "POST", `/_matrix/client/v3/createRoom?user_id=${enc(deps.service.userId)}`, {
      preset: "private_chat",
      power_level_content_override: { users_default: 100, state_default: 0, invite: 0 },
      invite: [session.guest.matrixUserId],
    });
    const roomId = created.body.room_id as string;
    expect(created.status).toBe(200);
    const join = await cs(hs, creds.accessToken, "POST", `/_matrix/client/v3/join/${enc(roomId)}`, {});
    expect(join.status).toBe(200);
    const topic = await cs(hs, creds.accessToken, "PUT", `/_matrix/client/v3/rooms/${enc(roomId)}/state/m.room.topic/`, { topic: "x" });
    expect(topic).toMatchObject({ status: 403, body: { errcode: "M_FORBIDDEN" } });
    const invite = await cs(hs, creds.accessToken, "POST", `/_matrix/client/v3/rooms/${enc(roomId)}/invite`, { user_id: colleague.matrix.user_id });
    expect(invite).toMatchObject({ status: 403, body: { errcode: "M_FORBIDDEN" } });
  });

  it("lets only the room's moderators create links", async () => {
    const room = await createMeeting(db, hs.config, organiser.person, { participantIds: [colleague.person.id] });
    await cs(hs, colleague.matrix.access_token, "POST", `/_matrix/client/v3/join/${enc(room.matrixRoomId)}`, {});
    const asColleague = { person: colleague.person, matrixUserId: colleague.matrix.user_id };
    await expect(createGuestLink(deps, asColleague, room.matrixRoomId, createGuestInputFor())).rejects.toMatchObject({
      code: "not-a-moderator",
      status: 403,
    });
    await expect(createGuestLink(deps, { ...asColleague, matrixUserId: null }, room.matrixRoomId, createGuestInputFor())).rejects.toBeInstanceOf(AppError);
  });

  it("brings a returning guest back to the same account even when the link is used up; everyone else gets the generic answer", async () => {
    const { url, outcome, session } = await meetingWithGuest();
    const secret = secretOf(url);
    const sessionId = (outcome as { sessionId: string }).sessionId;

    const again = await redeemGuestLink(deps, redeemFor(secret), sessionId);
    expect(again).toMatchObject({ kind: "redeemed", guestId: session.guest.id, sessionId: null, ready: true });
    expect((await lookUpGuestLink(deps, secret, sessionId))?.returning).toBe(true);

    expect(await redeemGuestLink(deps, redeemFor(secret), null)).toEqual({ kind: "refused" });
    expect(await lookUpGuestLink(deps, secret, null)).toBeNull();
    expect(await lookUpGuestLink(deps, "A".repeat(43), null)).toBeNull();
    const [{ n }] = (await db.select({ n: count() }).from(guests).where(eq(guests.linkId, session.link.id))) as [{ n: number }];
    expect(n).toBe(1);
  });

  it("revocation kicks the guest and deactivates the account: the guest's token is dead and the link refuses", async () => {
    const { room, url, session, creds, outcome } = await meetingWithGuest({ maxUses: 3 });
    const result = await revokeGuestLink(deps, mod, room.matrixRoomId, session.link.id);
    expect(result.removals).toEqual([{ guestId: session.guest.id, done: true }]);

    const member = await cs(hs, colleague.matrix.access_token, "GET", `/_matrix/client/v3/rooms/${enc(room.matrixRoomId)}/state/m.room.member/${enc(session.guest.matrixUserId)}`);
    expect(member.body.membership).toBe("leave");
    const whoami = await cs(hs, creds.accessToken, "GET", "/_matrix/client/v3/account/whoami");
    expect(whoami).toMatchObject({ status: 401, body: { errcode: "M_UNKNOWN_TOKEN" } });
    const admin = await cs(hs, hs.config.matrix.adminToken, "GET", `/_synapse/admin/v2/users/${enc(session.guest.matrixUserId)}`);
    expect(admin.body.deactivated).toBe(true);

    expect(await redeemGuestLink(deps, redeemFor(secretOf(url)), null)).toEqual({ kind: "refused" });
    expect(await findGuestSession(db, (outcome as { sessionId: string }).sessionId, clock.now())).toBeNull();
    await expect(guestConference(deps, session)).rejects.toMatchObject({ status: 403 });
    // Repeating the revocation is harmless.
    expect((await revokeGuestLink(deps, mod, room.matrixRoomId, session.link.id)).removals).toEqual([]);
  });

  it("refuses an expired link and ends its guests, with an injected clock", async () => {
    const room = await createMeeting(db, hs.config, organiser.person);
    const { url } = await createGuestLink(deps, mod, room.matrixRoomId, createGuestInputFor({ maxUses: 2 }));
    const first = await redeemGuestLink(deps, redeemFor(secretOf(url)), null);
    expect(first.kind).toBe("redeemed");
    const sessionId = (first as { sessionId: string }).sessionId;
    const link = await db.query.guestLinks.findFirst({ where: eq(guestLinks.id, (await findGuestSession(db, sessionId, clock.now()))!.link.id) });
    // Default expiry: meeting end (11:00 Berlin = 10:00 UTC) plus two hours.
    expect(link!.expiresAt.toISOString()).toBe("2030-03-01T12:00:00.000Z");

    const before = clock.now();
    clock.set(new Date("2030-03-01T12:00:01Z"));
    try {
      expect(await lookUpGuestLink(deps, secretOf(url), null)).toBeNull();
      expect(await redeemGuestLink(deps, redeemFor(secretOf(url)), null)).toEqual({ kind: "refused" });
      expect(await findGuestSession(db, sessionId, clock.now())).toBeNull();
      const removed = await removeDueGuests(deps);
      expect(removed.filter((r) => r.done).length).toBeGreaterThanOrEqual(1);
      const [row] = await db.select().from(guests).where(eq(guests.linkId, link!.id));
      expect(row).toMatchObject({ status: "expired" });
      expect(row!.removedAt).toBeInstanceOf(Date);
      const admin = await cs(hs, hs.config.matrix.adminToken, "GET", `/_synapse/admin/v2/users/${enc(row!.matrixUserId)}`);
      expect(admin.body.deactivated).toBe(true);
    } finally {
      clock.set(before);
    }
  });

  it("repairs a redemption whose join failed: the retry with the same session completes it without a second account", async () => {
    const calls: string[] = [];
    let failJoin = true;
    const flaky = guestDepsFor(db, hs.config, clock.now, (a) => ({
      ...a,
      register: (l) => (calls.push("register"), a.register(l)),
      login: (l) => (calls.push("login"), a.login(l)),
      join: async (roomId, userId) => {
        calls.push("join");
        if (failJoin) {
          failJoin = false;
          throw new TypeError("fetch failed");
        }
        return a.join(roomId, userId);
      },
    }));
    const room = await createMeeting(db, hs.config, organiser.person);
    const { url } = await createGuestLink(flaky, mod, room.matrixRoomId, createGuestInputFor());
    const first = await redeemGuestLink(flaky, redeemFor(secretOf(url)), null);
    expect(first).toMatchObject({ kind: "redeemed", ready: false });
    const sessionId = (first as { sessionId: string }).sessionId;

    const retry = await redeemGuestLink(flaky, redeemFor(secretOf(url)), sessionId);
    expect(retry).toMatchObject({ kind: "redeemed", ready: true, sessionId: null, guestId: (first as { guestId: string }).guestId });
    expect(calls).toEqual(["register", "join", "join"]);

    const rows = await db.select().from(guests).where(eq(guests.linkId, (await findGuestSession(db, sessionId, clock.now()))!.link.id));
    expect(rows).toHaveLength(1);
    const members = await cs(hs, hs.config.matrix.adminToken, "GET", `/_synapse/admin/v1/rooms/${enc(room.matrixRoomId)}/members`);
    const guestMembers = (members.body.members as string[]).filter((m) => m.startsWith("@_stadtfunk_guest_"));
    expect(guestMembers).toEqual([rows[0]!.matrixUserId]);
  });
});
