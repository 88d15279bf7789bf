import { eq } from "drizzle-orm";
import { people, type Person } from "../../drizzle/schema";
import type { LeaverDeps } from "../auth/leavers";
import { AppError } from "../errors";
import { userIdForExternalId } from "../matrix/admin-users";
import { MatrixApiError } from "../matrix/client-api";
import { SYNAPSE_IDP_ID } from "../matrix/sso-login";

/** Data-subject requests need what offboarding needs: database, homeserver admin API, session ending, clock, log. */
export type SubjectDeps = LeaverDeps;

/** An erased person keeps their row under this subject, so ids in foreign keys and the audit log stay valid. */
export const ERASED_SUBJECT_PREFIX = "erased:";

export function isErased(person: Pick<Person, "subject">): boolean {
  return person.subject.startsWith(ERASED_SUBJECT_PREFIX);
}

export async function findPerson(deps: Pick<SubjectDeps, "db">, personId: string): Promise<Person> {
  const person = await deps.db.query.people.findFirst({ where: eq(people.id, personId) });
  if (!person) throw new AppError("unknown-person", "not-found", "Diese Person ist nicht bekannt.");
  return person;
}

/** The person's Matrix account: as recorded at the portal's Matrix sign-in, else the one Synapse linked to their SSO subject. */
export async function matrixAccountOf(deps: SubjectDeps, person: Person): Promise<string | null> {
  if (person.matrixUserId) return person.matrixUserId;
  if (isErased(person)) return null;
  return userIdForExternalId(deps.homeserver, SYNAPSE_IDP_ID, person.subject);
}

/**
 * Any homeserver failure (down, timeout, error answer) becomes one clear
 * "try again later": a data-subject request is never answered half.
 */
export async function fromHomeserver<T>(deps: Pick<SubjectDeps, "log">, what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    deps.log.error({ step: what, err: (err as Error).message, status: err instanceof MatrixApiError ? err.status : undefined }, "homeserver call failed");
    throw new AppError(
      "homeserver-unavailable",
      "unavailable",
      "Der Chat-Server ist gerade nicht erreichbar. Es wurde nichts als erledigt markiert – bitte später erneut versuchen.",
      {},
      { cause: err },
    );
  }
}
