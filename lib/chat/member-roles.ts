/**
 * Roles in the member list, from the room's power levels (and, in room
 * version 12, its creators): the organiser and the service at the top,
 * moderators at the kick level, people from other organisations as guests.
 *
 * This runs in the browser, so it reads power the way lib/jitsi/room-power.ts
 * does but without zod: zod probes `Function("")` when a schema module loads,
 * which the portal's CSP (no eval) reports as a violation. A unit test keeps
 * both readings equal.
 */
export type MemberRole = "organisation" | "moderation" | "member" | "guest";

export const MEMBER_ROLE_LABELS_DE: Record<MemberRole, string> = {
  organisation: "Organisation",
  moderation: "Moderation",
  member: "Mitglied",
  guest: "Gast",
};

const ORGANISATION_LEVEL = 100;
const MODERATION_FALLBACK = 50;
const ROLE_ORDER: readonly MemberRole[] = ["organisation", "moderation", "member", "guest"];

/** "@anna:stadtfunk.test" → "stadtfunk.test" */
export function serverNameOf(userId: string): string {
  const i = userId.indexOf(":");
  return i < 0 ? "" : userId.slice(i + 1);
}

export interface RoomPowerState {
  /** The m.room.power_levels content. */
  content: Record<string, unknown>;
  /** Room version 12+: the create event's sender and additional_creators, above every level. */
  creators?: readonly string[];
}

export interface StateEventLike {
  type: string;
  state_key?: string;
  sender?: string;
  content: Record<string, unknown>;
}

/** Creators outrank every level from room version 12 on (and in its MSC4289 test version). */
const CREATOR_LEVEL = Number.MAX_SAFE_INTEGER;

function hasPrivilegedCreators(roomVersion: unknown): boolean {
  if (typeof roomVersion !== "string") return false;
  if (roomVersion === "org.matrix.hydra.11") return true;
  return /^\d+$/.test(roomVersion) && Number(roomVersion) >= 12;
}

/** Power levels and creators from room state; null when the room has no power levels. */
export function roomPowerFromState(state: readonly StateEventLike[]): RoomPowerState | null {
  const find = (type: string) => state.find((e) => e.type === type && (e.state_key ?? "") === "");
  const levels = find("m.room.power_levels");
  if (!levels) return null;
  const create = find("m.room.create");
  if (!create?.sender || !hasPrivilegedCreators(create.content.room_version)) return { content: levels.content };
  const extra = create.content.additional_creators;
  const additional = Array.isArray(extra) ? extra.filter((u): u is string => typeof u === "string") : [];
  return { content: levels.content, creators: [create.sender, ...additional] };
}

function level(value: unknown): number | undefined {
  if (typeof value === "number" && Number.isInteger(value)) return value;
  // Room versions before 10 allow levels as strings.
  if (typeof value === "string" && /^-?\d+$/.test(value)) return Number(value);
  return undefined;
}

export function powerLevelOf(power: RoomPowerState | null, userId: string): number {
  if (!power) return 0;
  if (power.creators?.includes(userId)) return CREATOR_LEVEL;
  const users = power.content.users;
  const userLevels = users && typeof users === "object" ? (users as Record<string, unknown>) : {};
  return level(userLevels[userId]) ?? level(power.content.users_default) ?? 0;
}

function moderationLevel(power: RoomPowerState | null): number {
  const kick = power?.content.kick;
  return typeof kick === "number" && Number.isInteger(kick) ? kick : MODERATION_FALLBACK;
}

export function memberRole(userId: string, power: RoomPowerState | null, ownServerName: string): MemberRole {
  const level = powerLevelOf(power, userId);
  if (level >= ORGANISATION_LEVEL) return "organisation";
  if (level >= moderationLevel(power)) return "moderation";
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
