import type { Person } from "../../drizzle/schema";
import { createDirectorySpaceHomeserver } from "../matrix/directory-space-client";
import { isDirectoryMembershipCurrent, syncDirectoryMembership } from "../rooms/directory-membership";
import type { DirectorySpaceDeps } from "../rooms/directory-spaces";
import { portalRuntime } from "./runtime";

/** The portal's wiring of the directory spaces (the service account's token, the city's name). */
export function portalDirectorySpaceDeps(): DirectorySpaceDeps {
  const { db, config, log } = portalRuntime();
  return {
    db,
    homeserver: createDirectorySpaceHomeserver(config),
    serverName: config.matrix.serverName,
    cityName: config.cityName,
    log,
  };
}

/**
 * On a dashboard load: when the recorded space membership does not match the
 * person's departments (first load, or a department changed at sign-in), sync
 * it with the person's Matrix session. A failure is logged and retried on the
 * next load; the dashboard itself still shows, after at most two seconds.
 */
export async function keepDirectoryMembershipCurrent(
  person: Person,
  matrix: { userId: string; accessToken: string } | null,
): Promise<void> {
  if (!matrix) return;
  const deps = portalDirectorySpaceDeps();
  if (await isDirectoryMembershipCurrent(deps.db, matrix.userId, person.departments)) return;
  const sync = syncDirectoryMembership(deps, { matrixUserId: matrix.userId, departments: person.departments, accessToken: matrix.accessToken }).catch(
    (err: Error) => deps.log.warn({ personId: person.id, err: err.message }, "directory space membership not synced"),
  );
  // A slow homeserver must not hold the dashboard: the sync finishes in the background after this wait.
  await Promise.race([sync, new Promise((r) => setTimeout(r, DASHBOARD_SYNC_WAIT_MS).unref())]);
}

const DASHBOARD_SYNC_WAIT_MS = 2_000;
