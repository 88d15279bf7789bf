import { and, asc, eq, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import { people, type Person } from "../../drizzle/schema";
import type { Db } from "../db/client";
import { AppError } from "../errors";
import { offboardPerson, portalLeaverDeps, type LeaverDeps, type OffboardResult } from "../auth/leavers";
import { nameFilter } from "./directory";
import { ERASED_SUBJECT_PREFIX } from "../privacy/subject-deps";

/**
 * What portal admins may do with people. Authorisation lives here, at the
 * data: the actor's role is read fresh from the database on every call, never
 * taken from a cookie or the page.
 */

/** The actor if they are an enabled admin right now; throws AppError `not-admin` (forbidden) otherwise. */
export async function requireAdmin(db: Db, actorId: string): Promise<Person> {
  const actor = await db.query.people.findFirst({
    where: and(eq(people.id, actorId), eq(people.role, "admin"), isNull(people.disabledAt)),
  });
  if (!actor) throw new AppError("not-admin", "forbidden", "Dafür brauchen Sie die Rolle Administration.");
  return actor;
}

export const adminListQuerySchema = z.object({
  q: z
    .string()
    .trim()
    .max(100)
    .optional()
    .transform((v) => v || undefined),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
});

export const ADMIN_PAGE_SIZE = 50;

export type AdminPersonRow = Pick<
  Person,
  "id" | "displayName" | "username" | "departments" | "role" | "matrixUserId" | "lastSignInAt" | "disabledAt"
> & { erased: boolean };

/** Everyone the portal knows, disabled people included, for the admin page. */
export async function listPeopleForAdmin(
  db: Db,
  actorId: string,
  input: z.input<typeof adminListQuerySchema>,
): Promise<AdminPersonRow[]> {
  await requireAdmin(db, actorId);
  const query = adminListQuerySchema.parse(input);
  return db
    .select({
      id: people.id,
      displayName: people.displayName,
      username: people.username,
      departments: people.departments,
      role: people.role,
      matrixUserId: people.matrixUserId,
      lastSignInAt: people.lastSignInAt,
      disabledAt: people.disabledAt,
      erased: sql<boolean>`${people.subject} like ${`${ERASED_SUBJECT_PREFIX}%`}`,
    })
    .from(people)
    .where(nameFilter(query.q))
    .orderBy(asc(people.displayName), asc(people.id))
    .limit(ADMIN_PAGE_SIZE)
    .offset((query.page - 1) * ADMIN_PAGE_SIZE);
}

export type LockAccessResult =
  | { ok: true; person: Pick<Person, "id" | "displayName">; result: OffboardResult }
  | { ok: false; reason: "self" | "unknown-person" };

/**
 * "Zugang sperren": an admin offboards a person (lib/auth/leavers). Admins
 * cannot lock themselves out. Locking someone already locked repeats the
 * steps, which repairs a run that failed half-way.
 */
export async function lockAccessByAdmin(
  actorId: string,
  personId: string,
  deps: LeaverDeps = portalLeaverDeps(),
): Promise<LockAccessResult> {
  const actor = await requireAdmin(deps.db, actorId);
  if (actor.id === personId) return { ok: false, reason: "self" };
  const person = await deps.db.query.people.findFirst({ where: eq(people.id, personId), columns: { id: true, displayName: true } });
  if (!person) return { ok: false, reason: "unknown-person" };
  const result = await offboardPerson(person.id, "admin-action", `person:${actor.id}`, deps);
  return { ok: true, person, result };
}
