import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { guestLinks, guests, people, rooms, type Person } from "../../drizzle/schema";
import { partners, roomPartners } from "../../drizzle/tables/partners";
import { FEDERATION_PRIVACY_DE, FEDERATION_PRIVACY_EN } from "../federation/privacy-text";
import { createTokenCipher } from "../auth/token-crypto";
import { createLogger } from "../log";
import { createTestDb, type TestDb } from "../db/testing/test-db";
import { decideGuest, wasRejected } from "./guest-admission";
import type { GuestDeps } from "./guest-deps";
import { createGuestLink, listGuestLinks, revokeGuestLink } from "./guest-links";
import { claimLinkUse, lookUpGuestLink, redeemGuestLink } from "./guest-redemption";
import { findGuestSession } from "./guest-sessions";
import { hashLinkSecret } from "./link-secret";
import { fakeGuestHomeserver } from "./testing/fake-guest-homeserver";
import { currentUsageRules, publishUsageRules } from "./usage-rules";
import { createGuestInputFor, redeemFor, secretOf } from "./testing/guest-inputs";

const ROOM = "!meeting:stadtfunk.test";
const ORGANISER = "@olga:stadtfunk.test";

describe("guest links and redemption (PGlite, fake homeserver)", () => {
  let t: TestDb;
  let hs: ReturnType<typeof fakeGuestHomeserver>;
  let deps: GuestDeps;
  let organiser: Person;
  let now: Date;

  // PGlite starts and migrates in a few seconds, more on a busy machine.
  beforeAll(async () => {
    t = await createTestDb();
  }, 60_000);

  afterAll(async () => {
    await t.close();
  });

  beforeEach(async () => {
    await t.db.delete(guests);
    await t.db.delete(guestLinks);
    await t.db.delete(rooms);
    await t.db.delete(people);
    hs = fakeGuestHomeserver();
    now = new Date("2030-03-01T08:00:00Z");
    [organiser] = (await t.db.insert(people).values({ subject: "olga", displayName: "Olga", matrixUserId: ORGANISER }).returning()) as [Person];
    await t.db.insert(rooms).values({
      matrixRoomId: ROOM,
      kind: "meeting",
      name: "Radweg Nord",
      organiserId: organiser.id,
      startsAt: new Date("2030-03-01T09:00:00Z"),
      endsAt: new Date("2030-03-01T10:00:00Z"),
      access: "invited",
      conferenceId: "ABC",
      widgetId: "w",
      idempotencyKey: "k",
      status: "active",
    });
    hs.seat(ROOM, ORGANISER, 100);
    deps = {
      db: t.db,
      service: hs.service,
      accounts: hs.accounts,
      tokens: createTokenCipher("unit-".padEnd(40, "x")),
      config: { portalUrl: "https://stadtfunk.stadt.example", cityName: "Musterstadt", serverName: "stadtfunk.test", userPrefix: "_stadtfunk_", jitsi: { domain: "meet.example", authMode: "jwt", appId: "stadtfunk", appSecret: "s".repeat(40), tokenTtlSeconds: 300 } },
      log: createLogger("test", "silent"),
      now: () => now,
    };
  });

  const mod = () => ({ person: organiser, matrixUserId: ORGANISER });
  const newLink = async (over: Parameters<typeof createGuestInputFor>[0] = {}) => createGuestLink(deps, mod(), ROOM, createGuestInputFor(over));

  it("stores only the hash of the secret, and the link URL carries it in the fragment", async () => {
    const { link, url } = await newLink();
    const secret = secretOf(url);
    expect(url).toBe(`https://stadtfunk.stadt.example/gast#${secret}`);
    const [row] = await t.db.select().from(guestLinks).where(eq(guestLinks.id, link.id));
    expect(row!.tokenHash).toBe(hashLinkSecret(secret));
    expect(JSON.stringify(row)).not.toContain(secret);
    expect(row!.expiresAt.toISOString()).toBe("2030-03-01T12:00:00.000Z");
    expect(hs.calls).toContain("sendState m.room.history_visibility");
  });

  it("answers unknown, expired, revoked and used-up links identically", async () => {
    const used = await newLink();
    await redeemGuestLink(deps, redeemFor(secretOf(used.url)), null);
    const revoked = await newLink();
    await revokeGuestLink(deps, mod(), ROOM, revoked.link.id);
    // 09:30 in Berlin is 08:30 UTC.
    const expired = await newLink({ expiresAt: "2030-03-01T09:30" });
    const active = await newLink();
    const secrets = { unknown: "B".repeat(43), used: secretOf(used.url), revoked: secretOf(revoked.url), expired: secretOf(expired.url) };
    now = new Date("2030-03-01T08:45:00Z");
    for (const secret of Object.values(secrets)) {
      expect(await lookUpGuestLink(deps, secret, null)).toBeNull();
      expect(await redeemGuestLink(deps, redeemFor(secret), null)).toEqual({ kind: "refused" });
    }
    expect(await lookUpGuestLink(deps, secretOf(active.url), null)).toMatchObject({
      cityName: "Musterstadt",
      room: { name: "Radweg Nord", kind: "meeting", startsAt: "2030-03-01T09:00:00.000Z" },
      rules: { version: 1, de: { rules: expect.stringContaining("Stadtverwaltung Musterstadt") }, en: { rules: expect.stringContaining("Musterstadt city administration") } },
      returning: false,
      requiresAdmission: false,
    });
  });

  it("tells a guest of a room shared with a partner organisation where its data also lives", async () => {
    const local = await newLink();
    expect((await lookUpGuestLink(deps, secretOf(local.url), null))!.rules.de.privacy).not.toContain("Partnerorganisation");
    const [room] = await t.db.select().from(rooms).where(eq(rooms.matrixRoomId, ROOM));
    const [partner] = await t.db.insert(partners).values({ name: "Stadtwerke", status: "approved" }).returning();
    await t.db.insert(roomPartners).values({ roomId: room!.id, partnerId: partner!.id });
    const shared = await lookUpGuestLink(deps, secretOf(local.url), null);
    expect(shared!.rules.de.privacy).toContain(FEDERATION_PRIVACY_DE);
    expect(shared!.rules.en.privacy).toContain(FEDERATION_PRIVACY_EN);
    await t.db.delete(roomPartners);
    await t.db.delete(partners);
  });

  it("never lets a use count pass max_uses, and refuses every condition separately", async () => {
    const { link, url } = await newLink({ maxUses: 2 });
    const hash = hashLinkSecret(secretOf(url));
    expect(await claimLinkUse(t.db, hash, now)).toMatchObject({ uses: 1 });
    expect(await claimLinkUse(t.db, hash, now)).toMatchObject({ uses: 2 });
    expect(await claimLinkUse(t.db, hash, now)).toBeNull();
    await t.db.update(guestLinks).set({ uses: 0 }).where(eq(guestLinks.id, link.id));
    expect(await claimLinkUse(t.db, hash, new Date("2030-03-01T12:00:00Z"))).toBeNull();
    await t.db.update(rooms).set({ status: "deleted" });
    expect(await claimLinkUse(t.db, hash, now)).toBeNull();
  });

  it("sets a guest up step by step: account, '(Gast)' name, the bot's invite, the guest's own join", async () => {
    const { url } = await newLink();
    const outcome = await redeemGuestLink(deps, redeemFor(secretOf(url), { displayName: "Gabi" }), null);
    expect(outcome).toMatchObject({ kind: "redeemed", status: "admitted", ready: true, sessionId: expect.any(String) });
    const session = await findGuestSession(t.db, (outcome as { sessionId: string }).sessionId, now);
    const userId = session!.guest.matrixUserId;
    expect(hs.calls.filter((c) => !c.startsWith("getState") && !c.startsWith("sendState"))).toEqual([
      `register ${userId.slice(1).split(":")[0]}`,
      "displayname Gabi (Gast)",
      `invite ${userId}`,
      `join ${userId}`,
    ]);
    expect(hs.membership(ROOM, userId)).toBe("join");
    expect(deps.tokens.decrypt(session!.guest.matrixAccessTokenEnc!)).toMatch(/^token-/);
  });

  it("refuses a redemption against outdated usage rules without using the link", async () => {
    const { link, url } = await newLink();
    expect(await redeemGuestLink(deps, redeemFor(secretOf(url), { rulesVersion: 2 }), null)).toEqual({ kind: "rules-outdated", version: 1 });
    const [row] = await t.db.select().from(guestLinks).where(eq(guestLinks.id, link.id));
    expect(row!.uses).toBe(0);
  });

  it("parks guests of an admission link in the waiting state: account yes, room no", async () => {
    const { url } = await newLink({ requiresAdmission: true });
    const outcome = await redeemGuestLink(deps, redeemFor(secretOf(url)), null);
    expect(outcome).toMatchObject({ kind: "redeemed", status: "waiting", ready: true });
    expect(hs.calls.some((c) => c.startsWith("invite"))).toBe(false);
  });

  it("lists links with their status and guests for moderators only", async () => {
    const { url } = await newLink({ maxUses: 1 });
    await redeemGuestLink(deps, redeemFor(secretOf(url)), null);
    const list = await listGuestLinks(deps, mod(), ROOM);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ status: "used-up", link: { uses: 1, maxUses: 1 }, guests: [{ displayName: "Gabi Gast", status: "admitted" }] });
    hs.seat(ROOM, "@carl:stadtfunk.test", 0);
    await expect(listGuestLinks(deps, { person: organiser, matrixUserId: "@carl:stadtfunk.test" }, ROOM)).rejects.toMatchObject({ status: 403 });
    await expect(listGuestLinks(deps, { person: organiser, matrixUserId: "@stranger:stadtfunk.test" }, ROOM)).rejects.toMatchObject({ status: 403 });
  });

  it("revocation removes the link's guests: kick, deactivate, session over", async () => {
    const { link, url } = await newLink({ maxUses: 2 });
    const a = await redeemGuestLink(deps, redeemFor(secretOf(url)), null);
    const sessionId = (a as { sessionId: string }).sessionId;
    const userId = (await findGuestSession(t.db, sessionId, now))!.guest.matrixUserId;
    const result = await revokeGuestLink(deps, mod(), ROOM, link.id);
    expect(result.removals).toEqual([{ guestId: (a as { guestId: string }).guestId, done: true }]);
    expect(hs.calls).toEqual(expect.arrayContaining([`kick ${userId}`, `deactivate ${userId}`]));
    expect(await findGuestSession(t.db, sessionId, now)).toBeNull();
    const [g] = await t.db.select().from(guests);
    expect(g).toMatchObject({ status: "expired", matrixAccessTokenEnc: null });
  });
});

describe("the lobby and new rules versions (PGlite, fake homeserver)", () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb();
  }, 60_000);
  afterAll(async () => {
    await t.close();
  });

  it("admits once: invite and join on admission, deactivation on rejection, a second decision conflicts", async () => {
    const hs = fakeGuestHomeserver();
    const [organiser] = (await t.db.insert(people).values({ subject: "o2", displayName: "Olga", matrixUserId: ORGANISER }).returning()) as [Person];
    await t.db.insert(rooms).values({ matrixRoomId: ROOM, kind: "team", name: "Team", organiserId: organiser.id, access: "invited", conferenceId: "C", widgetId: "w", idempotencyKey: "k2", status: "active" });
    hs.seat(ROOM, ORGANISER, 100);
    const deps: GuestDeps = {
      db: t.db,
      service: hs.service,
      accounts: hs.accounts,
      tokens: createTokenCipher("unit-".padEnd(40, "x")),
      config: { portalUrl: "https://p.example", cityName: "Musterstadt", serverName: "stadtfunk.test", userPrefix: "_stadtfunk_", jitsi: { domain: "m", authMode: "none", appId: "a", appSecret: "", tokenTtlSeconds: 60 } },
      log: createLogger("test", "silent"),
      now: () => new Date("2030-01-01T00:00:00Z"),
    };
    const mod = { person: organiser, matrixUserId: ORGANISER };
    const { url } = await createGuestLink(deps, mod, ROOM, createGuestInputFor({ maxUses: 2, requiresAdmission: true }));
    const a = await redeemGuestLink(deps, redeemFor(secretOf(url), { displayName: "Anton" }), null);
    const b = await redeemGuestLink(deps, redeemFor(secretOf(url), { displayName: "Berta" }), null);
    expect(hs.calls.filter((c) => c.startsWith("notice"))).toEqual([
      expect.stringContaining("Anton (Gast) wartet auf Einlass"),
      expect.stringContaining("Berta (Gast) wartet auf Einlass"),
    ]);
    const idA = (a as { guestId: string }).guestId;
    const idB = (b as { guestId: string }).guestId;
    await decideGuest(deps, mod, ROOM, idA, "admit");
    await decideGuest(deps, mod, ROOM, idB, "reject");
    await expect(decideGuest(deps, mod, ROOM, idA, "reject")).rejects.toMatchObject({ status: 409 });
    const rows = await t.db.select().from(guests);
    const anton = rows.find((r) => r.id === idA)!;
    const berta = rows.find((r) => r.id === idB)!;
    expect(anton).toMatchObject({ status: "admitted", decidedBy: organiser.id });
    expect(hs.membership(ROOM, anton.matrixUserId)).toBe("join");
    expect(berta).toMatchObject({ status: "rejected" });
    expect(berta.removedAt).toBeInstanceOf(Date);
    expect(hs.calls).toContain(`deactivate ${berta.matrixUserId}`);
    // Berta's page tells her she was turned away; Anton's session is no rejection.
    expect(await wasRejected(t.db, (b as { sessionId: string }).sessionId)).toBe(true);
    expect(await wasRejected(t.db, (a as { sessionId: string }).sessionId)).toBe(false);
    expect(await wasRejected(t.db, "not-a-session")).toBe(false);
    await expect(decideGuest(deps, { person: organiser, matrixUserId: "@x:stadtfunk.test" }, ROOM, idA, "reject")).rejects.toMatchObject({ status: 403 });
  });

  it("publishes new rules versions; guests must accept the newest", async () => {
    expect((await currentUsageRules(t.db)).version).toBe(1);
    const v2 = await publishUsageRules(t.db, { textDe: "Neu {stadt}", textEn: "New {stadt}", privacyDe: "D", privacyEn: "P" }, null);
    expect(v2.version).toBe(2);
    expect((await currentUsageRules(t.db)).textDe).toBe("Neu {stadt}");
  });
});
