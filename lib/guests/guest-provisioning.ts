import { and, eq, isNull } from "drizzle-orm";
import { guests, type Guest } from "../../drizzle/schema";
import type { GuestDeps } from "./guest-deps";
import { guestDisplayName } from "./guest-names";
import type { GuestSession } from "./guest-sessions";
import { localpartOf } from "./guest-user-id";

/**
 * Stores the guest's own Matrix token once; a concurrent repair that loses logs its extra device out.
 * `isNewAccount` is true only when this call registered the account: it cannot be in any room yet.
 */
async function ensureCredentials(deps: GuestDeps, guest: Guest): Promise<{ guest: Guest; isNewAccount: boolean }> {
  if (guest.matrixAccessTokenEnc) return { guest, isNewAccount: false };
  const localpart = localpartOf(guest.matrixUserId);
  // Registration answers with a token; an account that exists already (the answer
  // was lost, or a concurrent retry was first) gets a fresh device by login.
  const registered = await deps.accounts.register(localpart);
  const creds = registered ?? (await deps.accounts.login(localpart));
  if (creds.userId !== guest.matrixUserId) throw new Error(`homeserver registered ${creds.userId}, expected ${guest.matrixUserId}`);
  const [stored] = await deps.db
    .update(guests)
    .set({ matrixDeviceId: creds.deviceId, matrixAccessTokenEnc: deps.tokens.encrypt(creds.accessToken) })
    .where(and(eq(guests.id, guest.id), isNull(guests.matrixAccessTokenEnc)))
    .returning();
  if (stored) return { guest: stored, isNewAccount: registered !== null };
  await deps.accounts.logout(creds.accessToken).catch(() => {});
  return { guest: (await deps.db.query.guests.findFirst({ where: eq(guests.id, guest.id) })) ?? guest, isNewAccount: false };
}

async function membershipOf(deps: GuestDeps, roomId: string, userId: string): Promise<string | null> {
  const member = await deps.service.getStateEvent(roomId, "m.room.member", userId);
  return typeof member?.membership === "string" ? member.membership : null;
}

/**
 * Brings a guest's Matrix side to where the database says it should be, one
 * idempotent step at a time: account and device, display name "<name> (Gast)",
 * the bot's invite and the guest's own join into exactly the link's room.
 * A failure leaves the row as it was, and the next call (a retry with the
 * same guest session) continues; it never makes a second account.
 * Guests waiting for admission get their account, not the room.
 */
export async function provisionGuest(deps: GuestDeps, session: GuestSession): Promise<Guest> {
  const ensured = await ensureCredentials(deps, session.guest);
  let guest = ensured.guest;
  if (guest.joinedAt || guest.status !== "admitted") return guest;
  const roomId = session.room.matrixRoomId;

  await deps.accounts.setDisplayName(guest.matrixUserId, guestDisplayName(guest.displayName));
  // A repair asks the room where the guest stands; an account registered just now is in no room (saves a call per guest).
  const membership = ensured.isNewAccount ? null : await membershipOf(deps, roomId, guest.matrixUserId);
  if (membership !== "join") {
    if (membership !== "invite") await deps.service.invite(roomId, guest.matrixUserId);
    await deps.accounts.join(roomId, guest.matrixUserId);
  }
  const [joined] = await deps.db.update(guests).set({ joinedAt: deps.now() }).where(eq(guests.id, guest.id)).returning();
  guest = joined ?? guest;
  deps.log.info({ guestId: guest.id, roomId }, "guest joined the room");
  return guest;
}
