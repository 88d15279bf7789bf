/**
 * Portal data for the database-facing benchmarks: staff with a Matrix
 * account, one signed-in session each, and meetings they organise or are
 * invited to, written as the portal's own functions write them.
 */
import { randomUUID } from "node:crypto";
import { portalSessions, rooms, type Person } from "../../drizzle/schema";
import type { PersonProfile } from "../../lib/auth/person-claims";
import { setPersonMatrixUserId, upsertPersonFromSignIn } from "../../lib/auth/people-store";
import { hashSessionId, newSessionId } from "../../lib/auth/token-crypto";
import { runMigrations, type Db, type DbHandle } from "../../lib/db/client";

export interface Seed {
  profiles: PersonProfile[];
  sessionIds: string[];
  /** Rooms each person organises; each room invites the organiser and INVITED_PER_ROOM others. */
  roomsPerPerson: number;
}

/** One database with the seeded people as that database knows them (ids differ per database). */
export interface Side {
  db: Db;
  people: Person[];
}

export const INVITED_PER_ROOM = 5;
/** The portal's default absolute session lifetime (SESSION_MAX_HOURS). */
const MAX_HOURS = 12;

/** `sessions: false` leaves sessions to the caller (createPortalSession), e.g. on the stack's database. */
export function makeSeed(count: number, opts: { roomsPerPerson?: number; sessions?: boolean } = {}): Seed {
  const run = randomUUID().slice(0, 8);
  const profiles = Array.from({ length: count }, (_, i) => ({
    subject: `bench-${run}-${i}`,
    username: `staff${i}`,
    displayName: `Mitarbeiterin ${i}`,
    email: `staff${i}@stadt.example`,
    departments: i % 3 === 0 ? ["bauamt"] : ["kaemmerei", "it"],
    role: i % 10 === 0 ? ("admin" as const) : ("staff" as const),
  }));
  const sessionIds = opts.sessions === false ? [] : profiles.map(() => newSessionId());
  return { profiles, sessionIds, roomsPerPerson: opts.roomsPerPerson ?? 4 };
}

/** Deterministic "random" invitees, so both databases get the same rooms. */
const invitee = (room: number, k: number, count: number) => (room * 7919 + k * 104_729) % count;

/**
 * The same people, one session each and the same rooms on a database. The raw
 * session ids are made up front so both databases hold identical keys; the
 * rows are the ones createPortalSession and createManagedRoom write.
 */
export async function seedPortalData(handle: DbHandle, seed: Seed): Promise<Side> {
  await runMigrations(handle);
  const now = new Date();
  const seeded: Person[] = [];
  for (let i = 0; i < seed.profiles.length; i++) {
    const person = await upsertPersonFromSignIn(handle.db, seed.profiles[i]!, now);
    const matrixUserId = `@staff${i}:bench.stadtfunk.test`;
    await setPersonMatrixUserId(handle.db, person.id, matrixUserId);
    seeded.push({ ...person, matrixUserId });
    const sessionId = seed.sessionIds[i];
    if (!sessionId) continue;
    await handle.db.insert(portalSessions).values({
      idHash: hashSessionId(sessionId),
      personId: person.id,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + MAX_HOURS * 3_600_000),
    });
  }
  const count = seeded.length;
  const roomRows = seeded.flatMap((organiser, p) =>
    Array.from({ length: seed.roomsPerPerson }, (_, r) => {
      const room = p * seed.roomsPerPerson + r;
      const invited = Array.from({ length: INVITED_PER_ROOM }, (_, k) => seeded[invitee(room, k, count)]!.matrixUserId!);
      return {
        matrixRoomId: `!bench${room}:bench.stadtfunk.test`,
        kind: "meeting" as const,
        name: `Besprechung ${room}`,
        organiserId: organiser.id,
        startsAt: new Date(now.getTime() + (room % 50) * 3_600_000),
        endsAt: new Date(now.getTime() + (room % 50) * 3_600_000 + 3_600_000),
        access: "invited" as const,
        conferenceId: `bench${room}`,
        widgetId: `jitsi_bench${room}`,
        idempotencyKey: `bench-${room}`,
        status: "active" as const,
        invitedUserIds: [organiser.matrixUserId!, ...new Set(invited)],
      };
    }),
  );
  for (let i = 0; i < roomRows.length; i += 500) await handle.db.insert(rooms).values(roomRows.slice(i, i + 500));
  await handle.pool.query("analyze");
  return { db: handle.db, people: seeded };
}

