import { and, eq, isNotNull } from "drizzle-orm";
import { rooms } from "../../drizzle/schema";
import type { Db } from "../../lib/db/client";

/** Rooms the service manages: a row in `rooms` with a Matrix room and status active. The bots act nowhere else. */
export interface ManagedRooms {
  isManaged(roomId: string): Promise<boolean>;
  listActive(): Promise<string[]>;
}

export function managedRoomsIn(db: Db): ManagedRooms {
  return {
    async isManaged(roomId) {
      const row = await db.query.rooms.findFirst({
        columns: { id: true },
        where: and(eq(rooms.matrixRoomId, roomId), eq(rooms.status, "active")),
      });
      return row !== undefined;
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
