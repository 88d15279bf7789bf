/**
 * Who may join a managed room, as the homeserver enforces it: only invited
 * people, or — through a restricted join rule (room version ≥ 8) — every
 * member of a department's or the city's directory space. Never public.
 */

export type RoomAccess = "invited" | "department" | "city";

export type JoinRuleContent =
  | { join_rule: "invite" }
  | { join_rule: "restricted"; allow: { type: "m.room_membership"; room_id: string }[] };

export const INVITE_ONLY: JoinRuleContent = { join_rule: "invite" };

/** The `m.room.join_rules` content for a room's access; restricted rules need the directory space's room id. */
export function joinRuleFor(access: RoomAccess, spaceRoomId: string | null): JoinRuleContent {
  if (access === "invited") return INVITE_ONLY;
  if (!spaceRoomId) throw new Error(`a ${access} room needs its directory space`);
  return { join_rule: "restricted", allow: [{ type: "m.room_membership", room_id: spaceRoomId }] };
}

/** True when the room's current rule is exactly the intended one (same rule, same allowed spaces). */
export function isSameJoinRule(content: Record<string, unknown>, intended: JoinRuleContent): boolean {
  if (content.join_rule !== intended.join_rule) return false;
  if (intended.join_rule === "invite") return true;
  const allow = Array.isArray(content.allow) ? content.allow : [];
  const rooms = allow.map((a) => (a && typeof a === "object" ? (a as Record<string, unknown>) : {}));
  return (
    rooms.length === intended.allow.length &&
    intended.allow.every((want) => rooms.some((a) => a.type === want.type && a.room_id === want.room_id))
  );
}
