import type { Person } from "../../drizzle/schema";
import { deleteRoom } from "../matrix/admin-users";
import { createManagedRoom } from "../rooms/create-room";
import type { CreateRoomInput } from "../rooms/create-room-input";
import { portalRuntime } from "./runtime";
import { portalDirectorySpaceDeps } from "./directory-spaces";

/** The portal's wiring of the room use cases (the bots call the same lib functions with their own deps). */
export function createRoomForPerson(organiser: Person, input: CreateRoomInput) {
  const { db, service, config, log } = portalRuntime();
  return createManagedRoom(
    {
      db,
      service,
      config,
      log,
      discardRoom: async (roomId) => {
        await deleteRoom({ homeserverUrl: config.matrix.homeserverUrl, adminToken: config.matrix.adminToken }, roomId);
      },
      directorySpaces: portalDirectorySpaceDeps(),
    },
    organiser,
    input,
  );
}
