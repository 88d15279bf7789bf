import { and, eq, isNull } from "drizzle-orm";
import { people } from "../../drizzle/schema";
import { createGuestLink, type LinkCreationDeps } from "./guest-links";
import { createGuestLinkInput } from "./guest-input";

export type CommandLinkOutcome =
  | { kind: "created"; url: string; expiresAt: Date; maxUses: number; roomName: string }
  | { kind: "no-portal-account" };

/**
 * `!link` in a room: a guest link with the portal's defaults (one use,
 * expiring after the meeting or after the default number of days), created
 * for the moderator who asked. The moderator check on the homeserver and
 * the audit entry are createGuestLink's, exactly as in the portal. A link
 * names the person who made it, so someone who has never opened the portal
 * (and so has no person record) is asked to do that first.
 */
export async function createGuestLinkByCommand(
  deps: LinkCreationDeps,
  matrixRoomId: string,
  matrixUserId: string,
  label: string,
): Promise<CommandLinkOutcome> {
  const [person] = await deps.db
    .select()
    .from(people)
    .where(and(eq(people.matrixUserId, matrixUserId), isNull(people.disabledAt)))
    .limit(1);
  if (!person) return { kind: "no-portal-account" };
  const input = createGuestLinkInput.parse({ label: label.trim().slice(0, 120) });
  const { link, room, url } = await createGuestLink(deps, { person, matrixUserId }, matrixRoomId, input);
  return { kind: "created", url, expiresAt: link.expiresAt, maxUses: link.maxUses, roomName: room.name };
}
