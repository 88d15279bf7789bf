import crypto from "node:crypto";
import { people, type Person, type Room } from "../../../drizzle/schema";
import { createTokenCipher } from "../../auth/token-crypto";
import type { AppConfig } from "../../config/load";
import type { Db } from "../../db/client";
import { createLogger } from "../../log";
import { registerUser, type RegisteredUser } from "../../matrix/admin-register";
import { createGuestAccounts, type GuestAccounts } from "../../matrix/guest-accounts";
import { createServiceClient } from "../../matrix/service-client";
import { deleteRoom } from "../../matrix/admin-users";
import { createManagedRoom } from "../../rooms/create-room";
import { createRoomInput } from "../../rooms/create-room-input";
import { guestConfigFrom, type GuestDeps } from "../guest-deps";

export interface StaffMember {
  person: Person;
  matrix: RegisteredUser;
}

/** A clock the test moves by hand. */
export function testClock(start = new Date()) {
  let now = start.getTime();
  return {
    now: () => new Date(now),
    set: (d: Date) => (now = d.getTime()),
    advance: (ms: number) => (now += ms),
  };
}

export async function addStaff(db: Db, config: AppConfig, sharedSecret: string, name: string): Promise<StaffMember> {
  const username = `${name.toLowerCase().replace(/[^a-z]/g, "")}-${crypto.randomBytes(3).toString("hex")}`;
  const matrix = await registerUser({ homeserverUrl: config.matrix.homeserverUrl, sharedSecret, username, admin: false, displayname: name });
  const [person] = await db
    .insert(people)
    .values({ subject: crypto.randomUUID(), displayName: name, username, matrixUserId: matrix.user_id })
    .returning();
  return { person: person!, matrix };
}

/** Guest deps on a real homeserver; `accounts` may be wrapped to inject failures. */
export function guestDepsFor(
  db: Db,
  config: AppConfig,
  now: () => Date,
  wrap: (a: GuestAccounts) => GuestAccounts = (a) => a,
): GuestDeps {
  return {
    db,
    service: createServiceClient(config),
    accounts: wrap(createGuestAccounts(config)),
    tokens: createTokenCipher(config.portal.authSecret || "guest-tests-".padEnd(40, "x")),
    config: guestConfigFrom(config),
    log: createLogger("guests-test", process.env.LOG_LEVEL ?? "silent"),
    now,
  };
}

/** A managed meeting organised by `organiser` (power level 100); the bot is its creator. */
export async function createMeeting(
  db: Db,
  config: AppConfig,
  organiser: Person,
  over: { participantIds?: string[]; startsAt?: string; endsAt?: string } = {},
): Promise<Room & { matrixRoomId: string }> {
  const room = await createManagedRoom(
    {
      db,
      service: createServiceClient(config),
      config,
      log: createLogger("rooms-test", "silent"),
      discardRoom: async (roomId) => {
        await deleteRoom({ homeserverUrl: config.matrix.homeserverUrl, adminToken: config.matrix.adminToken }, roomId);
      },
    },
    organiser,
    createRoomInput.parse({
      kind: "meeting",
      name: "Bürgerbeteiligung Radweg Nord",
      topic: "",
      startsAt: over.startsAt ?? "2030-03-01T10:00",
      endsAt: over.endsAt ?? "2030-03-01T11:00",
      participantIds: over.participantIds ?? [],
      idempotencyKey: crypto.randomUUID(),
    }),
  );
  return { ...room, matrixRoomId: room.matrixRoomId! };
}

