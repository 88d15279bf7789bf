import { and, eq, isNull } from "drizzle-orm";
import { auditLog, people, portalSessions, type Person } from "../../drizzle/schema";
import { AppError } from "../errors";
import type { Logger } from "../log";
import type { AdminContext } from "../matrix/admin-users";
import { userIdForExternalId } from "../matrix/admin-users";
import { deleteDevices, getAccount, listDevices, setAccountLocked } from "../matrix/admin-devices";
import { SYNAPSE_IDP_ID } from "../matrix/sso-login";
import { handOverRooms, type RoomHandover } from "../people/room-handover";
import { portalRuntime } from "../portal/runtime";
import { endPortalSessions, portalSessionEndDeps, type SessionEndDeps } from "./backchannel-logout";
import { removeFromDirectorySpaces } from "../rooms/directory-membership";
import type { DirectorySpaceDeps } from "../rooms/directory-spaces";
import { portalDirectorySpaceDeps } from "../portal/directory-spaces";

/**
 * A leaver — disabled at the identity provider or locked by a portal admin —
 * loses access everywhere at once: the portal refuses them, every portal
 * session ends, the Matrix account is locked and all of its devices
 * (Element's included) are logged out, and rooms they administered alone get
 * a new admin. Every step is idempotent, so running it again repairs a
 * partly failed run.
 */

export type OffboardReason = "admin-action" | "idp-account-disabled";

export interface LeaverDeps extends SessionEndDeps {
  homeserver: AdminContext;
  log: Logger;
  isServiceAccount: (userId: string) => boolean;
  /** Leavers lose their department and city spaces, and with them the rooms open to those. */
  directorySpaces?: DirectorySpaceDeps;
}

export interface OffboardResult {
  personId: string;
  /** The person was disabled before this run (a repeat run only repairs). */
  wasDisabled: boolean;
  sessionsEnded: number;
  matrixUserId: string | null;
  matrixLocked: boolean;
  devicesDeleted: number;
  rooms: RoomHandover[];
  /** Steps that failed; empty when the leaver is fully offboarded. */
  problems: string[];
}


/** The Matrix account of the person: as recorded at the portal's Matrix sign-in, or the one Synapse linked to the subject (Element only). */
async function matrixAccountOf(deps: LeaverDeps, person: Person): Promise<string | null> {
  if (person.matrixUserId) return person.matrixUserId;
  return userIdForExternalId(deps.homeserver, SYNAPSE_IDP_ID, person.subject);
}

/**
 * Lock first, then delete devices: once locked, no new login can slip in
 * between listing and deleting. Locking (not deactivating) keeps the person
 * in their rooms, so Synapse can still hand the rooms over, and it can be undone.
 */
async function lockMatrixAccount(deps: LeaverDeps, userId: string, result: OffboardResult): Promise<void> {
  const account = await getAccount(deps.homeserver, userId);
  if (!account) return;
  if (!account.locked && !account.deactivated) await setAccountLocked(deps.homeserver, userId, true);
  result.matrixLocked = !account.deactivated;
  const devices = await listDevices(deps.homeserver, userId);
  await deleteDevices(
    deps.homeserver,
    userId,
    devices.map((d) => d.deviceId),
  );
  result.devicesDeleted = devices.length;
}

async function step(result: OffboardResult, log: Logger, name: string, run: () => Promise<void>): Promise<void> {
  try {
    await run();
  } catch (err) {
    result.problems.push(name);
    log.error({ personId: result.personId, step: name, err: (err as Error).message }, "offboarding step failed");
  }
}

/**
 * Offboards a person; `actor` names who did it in the audit log
 * (`person:<id>` for an admin, `system:token-refresh` for the IdP's refusal).
 */
export async function offboardPerson(
  personId: string,
  reason: OffboardReason,
  actor: string,
  deps: LeaverDeps = portalLeaverDeps(),
): Promise<OffboardResult> {
  const person = await deps.db.query.people.findFirst({ where: eq(people.id, personId) });
  if (!person) throw new AppError("unknown-person", "not-found", "Diese Person ist nicht bekannt.");
  const now = deps.now();
  // The portal refuses disabled people from here on: sign-in, every request, the directory.
  const disabled = await deps.db
    .update(people)
    .set({ disabledAt: now, updatedAt: now })
    .where(and(eq(people.id, personId), isNull(people.disabledAt)))
    .returning({ id: people.id });
  const result: OffboardResult = {
    personId,
    wasDisabled: disabled.length === 0,
    sessionsEnded: 0,
    matrixUserId: null,
    matrixLocked: false,
    devicesDeleted: 0,
    rooms: [],
    problems: [],
  };

  await step(result, deps.log, "portal-sessions", async () => {
    result.sessionsEnded = (await endPortalSessions(deps, eq(portalSessions.personId, personId), "offboarded")).length;
  });
  await step(result, deps.log, "matrix-account", async () => {
    result.matrixUserId = await matrixAccountOf(deps, person);
    if (result.matrixUserId) await lockMatrixAccount(deps, result.matrixUserId, result);
  });
  if (result.matrixUserId) {
    const matrixUserId = result.matrixUserId;
    await step(result, deps.log, "rooms", async () => {
      result.rooms = await handOverRooms(deps, { ...person, matrixUserId });
      if (result.rooms.some((r) => r.outcome !== "handed-over")) result.problems.push("rooms-without-admin");
    });
    const spaces = deps.directorySpaces;
    if (spaces) {
      await step(result, deps.log, "directory-spaces", async () => {
        await removeFromDirectorySpaces(spaces, matrixUserId, "Zugang gesperrt");
      });
    }
  }

  await deps.db.insert(auditLog).values({
    at: now,
    actor,
    action: "person.offboarded",
    subject: personId,
    details: {
      reason,
      repeated: result.wasDisabled,
      sessionsEnded: result.sessionsEnded,
      matrixUserId: result.matrixUserId,
      matrixLocked: result.matrixLocked,
      devicesDeleted: result.devicesDeleted,
      rooms: result.rooms,
      problems: result.problems,
    },
  });
  deps.log.info(
    { personId, reason, sessionsEnded: result.sessionsEnded, devicesDeleted: result.devicesDeleted, problems: result.problems },
    "person offboarded",
  );
  return result;
}

/** The running portal's dependencies: its database, the homeserver admin token, the bots' namespace. */
export function portalLeaverDeps(): LeaverDeps {
  const { config } = portalRuntime();
  const servicePrefix = `@${config.appservice.userPrefix}`;
  return {
    ...portalSessionEndDeps(),
    homeserver: { homeserverUrl: config.matrix.homeserverUrl, adminToken: config.matrix.adminToken },
    isServiceAccount: (userId) => userId.startsWith(servicePrefix),
    directorySpaces: portalDirectorySpaceDeps(),
  };
}
