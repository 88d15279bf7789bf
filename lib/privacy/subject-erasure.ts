import { and, eq, inArray, isNull, like, not, or, sql } from "drizzle-orm";
import { auditLog, pendingInvitations, people, portalSessions, rooms, type Person } from "../../drizzle/schema";
import { directorySpaceMembers } from "../../drizzle/tables/directory-spaces";
import { invitationDeclines, invitationMails } from "../../drizzle/tables/invitations";
import { floodRestrictions } from "../../drizzle/tables/policy";
import { endPortalSessions } from "../auth/backchannel-logout";
import type { Db } from "../db/client";
import { AppError } from "../errors";
import { accountDetails, deactivateAndErase } from "../matrix/admin-data-subject";
import { handOverRooms, type RoomHandover } from "../people/room-handover";
import { pseudonymiseAuditDetails } from "./audit-pseudonyms";
import { auditEntriesAbout, inviteeNames } from "./subject-export";
import { ERASED_SUBJECT_PREFIX, findPerson, fromHomeserver, isErased, matrixAccountOf, type SubjectDeps } from "./subject-deps";

/**
 * GDPR Art. 17: erase a person. In this order, each step idempotent, so a
 * run that stopped anywhere (crash, homeserver down) is completed by running
 * it again:
 *
 * 1. The person is disabled and every portal session ends (no new sign-in).
 * 2. Managed rooms they alone administered get a new admin (while the
 *    account is still a member and Synapse can pass its power on).
 * 3. The Matrix account is deactivated with erasure.
 * 4. In one transaction: the portal's personal data is removed or
 *    pseudonymised, and a minimal audit record is written. Only this step
 *    marks the person erased, so nothing is marked erased that is not.
 *
 * The people row stays (id unchanged) so foreign keys and audit entries
 * keep pointing somewhere; it no longer holds a name, e-mail, login name or
 * identity-provider subject.
 */

export const ERASED_DISPLAY_NAME = "Gelöschte Person";

export interface ErasureResult {
  personId: string;
  /** The person was already erased: nothing was done. */
  alreadyErased: boolean;
  sessionsEnded: number;
  matrixAccountErased: boolean;
  rooms: RoomHandover[];
}

async function eraseMatrixAccount(deps: SubjectDeps, person: Person, result: ErasureResult): Promise<string | null> {
  const matrixUserId = await fromHomeserver(deps, "matrix-account", () => matrixAccountOf(deps, person));
  if (!matrixUserId) return null;
  const account = await fromHomeserver(deps, "account", () => accountDetails(deps.homeserver, matrixUserId));
  if (!account) return matrixUserId;
  if (account.deactivated !== true) {
    result.rooms = await fromHomeserver(deps, "rooms", () => handOverRooms(deps, { ...person, matrixUserId }));
    // A room whose handover failed is retried by the next run; deactivating now would leave it without its admin for good.
    if (result.rooms.some((r) => r.outcome === "failed")) {
      throw new AppError(
        "handover-failed",
        "unavailable",
        "Nicht alle Räume dieser Person konnten übergeben werden. Es wurde nichts gelöscht – bitte später erneut versuchen.",
      );
    }
  }
  if (account.deactivated !== true || account.erased !== true) {
    await fromHomeserver(deps, "deactivate", () => deactivateAndErase(deps.homeserver, matrixUserId));
  }
  result.matrixAccountErased = true;
  return matrixUserId;
}

/** Step 4: everything in the portal's database, in one transaction; returns false if another run finished first. */
async function erasePortalData(tx: Db, person: Person, matrixUserId: string | null, actor: string, now: Date, result: ErasureResult): Promise<boolean> {
  const marked = await tx
    .update(people)
    .set({
      subject: `${ERASED_SUBJECT_PREFIX}${person.id}`,
      displayName: ERASED_DISPLAY_NAME,
      username: null,
      email: null,
      matrixUserId: null,
      departments: [],
      role: "staff",
      lastSignInAt: null,
      disabledAt: person.disabledAt ?? now,
      updatedAt: now,
    })
    .where(and(eq(people.id, person.id), not(like(people.subject, `${ERASED_SUBJECT_PREFIX}%`))))
    .returning({ id: people.id });
  if (marked.length === 0) return false;

  const invitee = inviteeNames(person);
  const removed = {
    pendingInvitations: invitee.length > 0 ? (await tx.delete(pendingInvitations).where(inArray(pendingInvitations.invitee, invitee)).returning({ id: pendingInvitations.id })).length : 0,
    invitationMails: (await tx.delete(invitationMails).where(eq(invitationMails.personId, person.id)).returning({ id: invitationMails.id })).length,
    portalSessions: (await tx.delete(portalSessions).where(eq(portalSessions.personId, person.id)).returning({ id: portalSessions.idHash })).length,
  };
  if (matrixUserId) {
    await tx.delete(invitationDeclines).where(eq(invitationDeclines.userId, matrixUserId));
    await tx.delete(floodRestrictions).where(eq(floodRestrictions.userId, matrixUserId));
    await tx.delete(directorySpaceMembers).where(eq(directorySpaceMembers.matrixUserId, matrixUserId));
    // The rooms' listing cache of invited Matrix ids.
    await tx
      .update(rooms)
      .set({ invitedUserIds: sql`${rooms.invitedUserIds} - ${matrixUserId}::text` })
      .where(sql`${rooms.invitedUserIds} @> ${JSON.stringify([matrixUserId])}::jsonb`);
  }
  // Entries about them, and entries about others that mention their Matrix id or e-mail (a policy enforcement, say).
  const mentions = [matrixUserId, person.email].filter((v): v is string => !!v).map((v) => sql`strpos(lower(${auditLog.details}::text), ${v.toLowerCase()}) > 0`);
  const pseudonymised = await pseudonymiseAuditDetails(tx, or(auditEntriesAbout(person, matrixUserId), ...mentions), {
    pseudonym: `person:${person.id}`,
    identifiers: [matrixUserId, person.email],
    exactValues: [person.displayName, person.username, person.subject],
  });

  // The minimal record: who erased whom (by id) and when - no name, no Matrix id.
  await tx.insert(auditLog).values({
    at: now,
    actor,
    action: "person.erased",
    subject: person.id,
    details: {
      sessionsEnded: result.sessionsEnded,
      matrixAccountErased: result.matrixAccountErased,
      roomsHandedOver: result.rooms.filter((r) => r.outcome === "handed-over").length,
      roomsWithoutNewAdmin: result.rooms.filter((r) => r.outcome === "no-successor").length,
      removed,
      auditEntriesPseudonymised: pseudonymised,
    },
  });
  return true;
}

export async function erasePerson(deps: SubjectDeps, personId: string, actor: string): Promise<ErasureResult> {
  const person = await findPerson(deps, personId);
  const result: ErasureResult = { personId, alreadyErased: false, sessionsEnded: 0, matrixAccountErased: false, rooms: [] };
  if (isErased(person)) return { ...result, alreadyErased: true };
  const now = deps.now();

  await deps.db.update(people).set({ disabledAt: now, updatedAt: now }).where(and(eq(people.id, personId), isNull(people.disabledAt)));
  result.sessionsEnded = (await endPortalSessions(deps, eq(portalSessions.personId, personId), "erased")).length;

  const matrixUserId = await eraseMatrixAccount(deps, person, result);

  const done = await deps.db.transaction((tx) => erasePortalData(tx as unknown as Db, person, matrixUserId, actor, now, result));
  if (!done) return { ...result, alreadyErased: true };
  deps.log.info({ personId, sessionsEnded: result.sessionsEnded, rooms: result.rooms.length }, "person erased");
  return result;
}
