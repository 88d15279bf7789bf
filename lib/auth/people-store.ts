import { eq, sql } from "drizzle-orm";
import { people, type Person } from "../../drizzle/schema";
import type { Db } from "../db/client";
import type { PersonProfile } from "./person-claims";

export function findPersonBySubject(db: Db, subject: string): Promise<Person | undefined> {
  return db.query.people.findFirst({ where: eq(people.subject, subject) });
}

/** Creates or refreshes the person on every sign-in: name, e-mail, departments and role follow the IdP. */
export async function upsertPersonFromSignIn(db: Db, profile: PersonProfile, now: Date): Promise<Person> {
  const values = {
    subject: profile.subject,
    username: profile.username,
    displayName: profile.displayName,
    email: profile.email,
    departments: profile.departments,
    role: profile.role,
    lastSignInAt: now,
    updatedAt: now,
  };
  const [row] = await db
    .insert(people)
    .values(values)
    .onConflictDoUpdate({ target: people.subject, set: { ...values, subject: sql`excluded.subject` } })
    .returning();
  if (!row) throw new Error("person upsert returned no row");
  return row;
}

/** Records the Matrix account the homeserver linked to this person (first Matrix sign-in). */
export async function setPersonMatrixUserId(db: Db, personId: string, matrixUserId: string): Promise<void> {
  await db.update(people).set({ matrixUserId, updatedAt: new Date() }).where(eq(people.id, personId));
}
