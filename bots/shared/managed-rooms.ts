import { and, eq, isNotNull } from "drizzle-orm";
import { rooms } from "../../drizzle/schema";
import type { Db } from "../../lib/db/client";
import { findRoomByMatrixId } from "../../lib/rooms/room-list";

/** Rooms the service manages: a row in `rooms` with a Matrix room and status active. The bots act nowhere else. */
export interface ManagedRooms {
  isManaged(roomId: string): Promise<boolean>;
  listActive(): Promise<string[]>;
}

export function managedRoomsIn(db: Db): ManagedRooms {
  return {
    async isManaged(roomId) {
      return (await findRoomByMatrixId(db, roomId)) !== undefined;
    },
    async listActive() {
      const rows = await db
        .select({ roomId: rooms.matrixRoomId })
        .from(rooms)
        .where(and(eq(rooms.status, "active"), isNotNull(rooms.matrixRoomId)));
      return rows.map((r) => r.roomId).filter((id): id is string => id !== null);
    },
  };
}
