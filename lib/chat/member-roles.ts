/**
 * Roles in the member list, from the room's power levels (and, in room
 * version 12, its creators): the organiser and the service at the top,
 * moderators at the kick level, people from other organisations as guests.
 *
 * This runs in the browser: it reads power through lib/matrix/power-levels,
 * which stays free of zod for exactly that reason.
 */
import { kickLevel, powerLevelOf, type RoomPowerState } from "../matrix/power-levels";

export type MemberRole = "organisation" | "moderation" | "member" | "guest";

export const MEMBER_ROLE_LABELS_DE: Record<MemberRole, string> = {
  organisation: "Organisation",
  moderation: "Moderation",
  member: "Mitglied",
  guest: "Gast",
};

const ORGANISATION_LEVEL = 100;
const ROLE_ORDER: readonly MemberRole[] = ["organisation", "moderation", "member", "guest"];

/** "@anna:stadtfunk.test" → "stadtfunk.test" */
export function serverNameOf(userId: string): string {
  const i = userId.indexOf(":");
  return i < 0 ? "" : userId.slice(i + 1);
}

export function memberRole(userId: string, power: RoomPowerState | null, ownServerName: string): MemberRole {
  const level = powerLevelOf(power, userId);
  if (level >= ORGANISATION_LEVEL) return "organisation";
  if (level >= kickLevel(power)) return "moderation";
  return serverNameOf(userId) === ownServerName ? "member" : "guest";
}

export interface MemberEntry {
  userId: string;
  name: string;
  membership: string;
  role: MemberRole;
}

/** Roles from the top, then by name (German collation); invitees after those who joined within a role. */
export function sortMembers<T extends MemberEntry>(members: readonly T[], locale = "de-DE"): T[] {
  const collator = new Intl.Collator(locale, { sensitivity: "base" });
  return [...members].sort(
    (a, b) =>
      ROLE_ORDER.indexOf(a.role) - ROLE_ORDER.indexOf(b.role) ||
      Number(a.membership !== "join") - Number(b.membership !== "join") ||
      collator.compare(a.name, b.name) ||
      a.userId.localeCompare(b.userId),
  );
}
