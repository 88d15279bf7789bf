/**
 * Reading power from room state, shared by the server (authorisation, Jitsi
 * verifier, leaver handover) and the browser (member roles). No zod here:
 * zod probes `Function("")` when it loads, which the portal's CSP (no eval)
 * reports as a violation in the browser.
 */

/** The top Matrix power level (canonical JSON integer range), for room v12+ creators. */
export const CREATOR_POWER_LEVEL = Number.MAX_SAFE_INTEGER;
/** Spec default for the kick level when m.room.power_levels leaves it out. */
const DEFAULT_KICK_LEVEL = 50;

export interface RoomPowerState {
  /** The m.room.power_levels content. */
  content: Record<string, unknown>;
  /** Room version 12+: the create event's sender and additional_creators, who outrank every level. */
  creators?: readonly string[];
}

export interface StateEventLike {
  type: string;
  state_key?: string;
  sender?: string;
  content: Record<string, unknown>;
}

/**
 * From room version 12 on (and its MSC4289 test version), creators hold
 * unlimited power and are no longer listed in `users`; reading `users` alone
 * would demote the room's owner.
 */
function hasPrivilegedCreators(roomVersion: unknown): boolean {
  if (typeof roomVersion !== "string") return false;
  if (roomVersion === "org.matrix.hydra.11") return true;
  return /^\d+$/.test(roomVersion) && Number(roomVersion) >= 12;
}

/** Power levels and creators from a room's full state; null without levels. */
export function roomPowerState(state: readonly StateEventLike[]): RoomPowerState | null {
  const find = (type: string) => state.find((e) => e.type === type && (e.state_key ?? "") === "");
  const levels = find("m.room.power_levels");
  if (!levels) return null;
  const create = find("m.room.create");
  if (!create?.sender || !hasPrivilegedCreators(create.content.room_version)) return { content: levels.content };
  const extra = create.content.additional_creators;
  const additional = Array.isArray(extra) ? extra.filter((u): u is string => typeof u === "string") : [];
  return { content: levels.content, creators: [create.sender, ...additional] };
}

/** A level as the spec allows it: an integer, or (before room version 10) an integer string. */
export function levelValue(value: unknown): number | undefined {
  if (typeof value === "number" && Number.isInteger(value)) return value;
  if (typeof value === "string" && /^-?\d+$/.test(value)) return Number(value);
  return undefined;
}

/** A user's power level: creators first, then `users`, then `users_default`. */
export function powerLevelOf(power: RoomPowerState | null, userId: string): number {
  if (!power) return 0;
  if (power.creators?.includes(userId)) return CREATOR_POWER_LEVEL;
  const users = power.content.users;
  const userLevels = users && typeof users === "object" ? (users as Record<string, unknown>) : {};
  return levelValue(userLevels[userId]) ?? levelValue(power.content.users_default) ?? 0;
}

/** The level needed to kick: Stadtfunk's (and Jitsi's) line between moderators and members. */
export function kickLevel(power: RoomPowerState | null): number {
  return levelValue(power?.content.kick) ?? DEFAULT_KICK_LEVEL;
}
