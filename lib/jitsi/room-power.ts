import { z } from "zod";

/**
 * The power a UVS-compatible verifier reports for a room member, computed
 * from room state. Prosody makes a member Jitsi owner when
 * `user >= room.state_default` (with `uvs_sync_power_levels`).
 */

/** The top Matrix power level (canonical JSON integer range), for room v12+ creators. */
export const CREATOR_POWER_LEVEL = Number.MAX_SAFE_INTEGER;
/** Spec default when an m.room.power_levels event leaves state_default out. */
const DEFAULT_STATE_LEVEL = 50;

/** `room` is the m.room.power_levels content without `users`. */
export const uvsPowerLevelsSchema = z.strictObject({
  room: z.looseObject({ state_default: z.number().int() }),
  user: z.number().int(),
});
export type UvsPowerLevels = z.infer<typeof uvsPowerLevelsSchema>;

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
 * From room version 12 on, creators hold unlimited power and are no longer
 * listed in `users`, so reading `users` alone would demote the room's owner.
 */
function hasPrivilegedCreators(roomVersion: unknown): boolean {
  if (typeof roomVersion !== "string") return false;
  if (roomVersion === "org.matrix.hydra.11") return true;
  return /^\d+$/.test(roomVersion) && Number(roomVersion) >= 12;
}

/** Power levels and creators from a room's full state (`GET /rooms/{id}/state`); null without levels. */
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

function level(value: unknown): number | undefined {
  if (typeof value === "number" && Number.isInteger(value)) return value;
  // Room versions before 10 allow levels as strings.
  if (typeof value === "string" && /^-?\d+$/.test(value)) return Number(value);
  return undefined;
}

/** The `power_levels` UVS reports: the room's levels without `users`, and this user's level. */
export function uvsPowerLevels(state: RoomPowerState, userId: string): UvsPowerLevels {
  const { users, ...room } = state.content;
  const userLevels = users && typeof users === "object" ? (users as Record<string, unknown>) : {};
  const user = state.creators?.includes(userId)
    ? CREATOR_POWER_LEVEL
    : (level(userLevels[userId]) ?? level(room.users_default) ?? 0);
  // Always a number: some Prosody module versions compare against it without a fallback.
  return { room: { ...room, state_default: level(room.state_default) ?? DEFAULT_STATE_LEVEL }, user };
}
