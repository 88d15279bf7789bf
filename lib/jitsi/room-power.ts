import { z } from "zod";
import { levelValue, powerLevelOf, type RoomPowerState } from "../matrix/power-levels";

/**
 * The power a UVS-compatible verifier reports for a room member, computed
 * from room state. Prosody makes a member Jitsi owner when
 * `user >= room.state_default` (with `uvs_sync_power_levels`).
 */

/** Spec default when an m.room.power_levels event leaves state_default out. */
const DEFAULT_STATE_LEVEL = 50;

/** `room` is the m.room.power_levels content without `users`. */
export const uvsPowerLevelsSchema = z.strictObject({
  room: z.looseObject({ state_default: z.number().int() }),
  user: z.number().int(),
});
export type UvsPowerLevels = z.infer<typeof uvsPowerLevelsSchema>;

/** The `power_levels` UVS reports: the room's levels without `users`, and this user's level. */
export function uvsPowerLevels(state: RoomPowerState, userId: string): UvsPowerLevels {
  const { users: _users, ...room } = state.content;
  // Always a number: some Prosody module versions compare against it without a fallback.
  return {
    room: { ...room, state_default: levelValue(room.state_default) ?? DEFAULT_STATE_LEVEL },
    user: powerLevelOf(state, userId),
  };
}
