import { AppError } from "../errors";
import { kickLevel, powerLevelOf, roomPowerState } from "../matrix/power-levels";
import type { ServiceClient, StateEvent } from "../matrix/service-client";

export type Membership = "join" | "invite" | "leave" | "ban" | "knock" | null;

export interface RoomAccess {
  roomId: string;
  userId: string;
  membership: Membership;
  powerLevel: number;
  /** May moderate (and becomes Jitsi moderator): at least the level needed to kick. */
  isModerator: boolean;
  state: StateEvent[];
}

/**
 * A person's membership and power in a room, read from the homeserver (the
 * service's bot is in every managed room). The portal never decides this
 * from its own database.
 */
export async function readRoomAccess(service: Pick<ServiceClient, "getState">, roomId: string, userId: string): Promise<RoomAccess> {
  let state: StateEvent[];
  try {
    state = await service.getState(roomId);
  } catch (err) {
    const status = (err as { status?: number }).status;
    if (status === 403 || status === 404) throw new AppError("room-not-found", "not-found", "Diesen Raum gibt es nicht.");
    throw err;
  }
  const member = state.find((e) => e.type === "m.room.member" && e.state_key === userId);
  const membership = (member?.content.membership as Membership | undefined) ?? null;
  const power = roomPowerState(state);
  const powerLevel = powerLevelOf(power, userId);
  return { roomId, userId, membership, powerLevel, isModerator: powerLevel >= kickLevel(power), state };
}

/** Members and invitees may open a room; everyone else gets 403, whatever the portal's database says. */
export async function requireRoomMember(service: Pick<ServiceClient, "getState">, roomId: string, userId: string | null): Promise<RoomAccess> {
  if (!userId) throw new AppError("no-matrix-account", "forbidden", "Kein Zugriff auf diesen Raum.");
  const access = await readRoomAccess(service, roomId, userId);
  if (access.membership !== "join" && access.membership !== "invite") {
    throw new AppError("not-a-member", "forbidden", "Kein Zugriff auf diesen Raum.");
  }
  return access;
}
