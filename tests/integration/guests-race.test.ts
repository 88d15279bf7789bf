import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { guestLinks, guests } from "../../drizzle/schema";
import { openDb, runMigrations, type DbHandle } from "../../lib/db/client";
import { createGuestLink } from "../../lib/guests/guest-links";
import { redeemGuestLink } from "../../lib/guests/guest-redemption";
import { addStaff, createMeeting, guestDepsFor, testClock } from "../../lib/guests/testing/guest-fixture";
import { startGuestHomeserver, type GuestHomeserver } from "../../lib/guests/testing/guest-homeserver";
import { createGuestInputFor, redeemFor, secretOf } from "../../lib/guests/testing/guest-inputs";
import { startTestPostgres, type TestPostgres } from "../setup/postgres";

/**
 * Races on real PostgreSQL: PGlite runs every statement one after another
 * and would pass these by accident (FT-05).
 */
describe("simultaneous redemptions (real PostgreSQL, real Synapse)", () => {
  let pg: TestPostgres;
  let hs: GuestHomeserver;
  let handle: DbHandle;

  beforeAll(async () => {
    [pg, hs] = await Promise.all([startTestPostgres(), startGuestHomeserver()]);
    // More connections than racers, so the 20 requests really run at once.
    handle = openDb(pg.url, { max: 30 });
    await runMigrations(handle);
  });

  afterAll(async () => {
    await handle?.close();
    await Promise.all([pg?.stop(), hs?.stop()]);
  });

  it.each([
    { maxUses: 1, racers: 20 },
    { maxUses: 3, racers: 20 },
  ])("$racers redemptions of a link with $maxUses use(s) yield exactly $maxUses guest(s)", async ({ maxUses, racers }) => {
    const db = handle.db;
    const deps = guestDepsFor(db, hs.config, testClock(new Date("2030-03-01T08:00:00Z")).now);
    const organiser = await addStaff(db, hs.config, hs.sharedSecret, "Rita Rennen");
    const room = await createMeeting(db, hs.config, organiser.person);
    const { url, link } = await createGuestLink(
      deps,
      { person: organiser.person, matrixUserId: organiser.matrix.user_id },
      room.matrixRoomId,
      createGuestInputFor({ maxUses }),
    );

    const outcomes = await Promise.all(
      Array.from({ length: racers }, (_, i) => redeemGuestLink(deps, redeemFor(secretOf(url), { displayName: `Gast ${i + 1}` }), null)),
    );

    const redeemed = outcomes.filter((o) => o.kind === "redeemed");
    expect(redeemed).toHaveLength(maxUses);
    expect(outcomes.filter((o) => o.kind === "refused")).toHaveLength(racers - maxUses);
    expect(redeemed.every((o) => o.kind === "redeemed" && o.ready)).toBe(true);
    const rows = await db.select().from(guests).where(eq(guests.linkId, link.id));
    expect(rows).toHaveLength(maxUses);
    const [after] = await db.select().from(guestLinks).where(eq(guestLinks.id, link.id));
    expect(after!.uses).toBe(maxUses);
  });
});
