import { auditLog } from "../../drizzle/schema";
import { portalLeaverDeps } from "../auth/leavers";
import { requireAdmin } from "../people/admin-access";
import { findPerson, type SubjectDeps } from "./subject-deps";
import { erasePerson, type ErasureResult } from "./subject-erasure";
import { exportPersonData, type SubjectExport } from "./subject-export";

/**
 * Data-subject requests as portal admins make them under /admin/people. The
 * admin role is read fresh from the database on every call.
 */

/** Art. 15: the export as JSON; the export itself is recorded (who, for whom, when - not its content). */
export async function exportPersonForAdmin(actorId: string, personId: string, deps: SubjectDeps = portalLeaverDeps()): Promise<SubjectExport> {
  const actor = await requireAdmin(deps.db, actorId);
  const person = await findPerson(deps, personId);
  const data = await exportPersonData(deps, person, actor.id);
  await deps.db.insert(auditLog).values({
    at: deps.now(),
    actor: `person:${actor.id}`,
    action: "person.data-exported",
    subject: person.id,
    details: { withHomeserverData: data.homeserver !== null },
  });
  return data;
}

export type EraseOutcome = { ok: true; result: ErasureResult } | { ok: false; reason: "self" };

/** Art. 17: admins cannot erase themselves (another admin must). Running it again completes a run that stopped. */
export async function erasePersonForAdmin(actorId: string, personId: string, deps: SubjectDeps = portalLeaverDeps()): Promise<EraseOutcome> {
  const actor = await requireAdmin(deps.db, actorId);
  if (actor.id === personId) return { ok: false, reason: "self" };
  return { ok: true, result: await erasePerson(deps, personId, `person:${actor.id}`) };
}

/** `auskunft-<id>-2026-11-25.json`: the file name carries the id, never the name. */
export function exportFileName(personId: string, now: Date): string {
  return `auskunft-${personId}-${now.toISOString().slice(0, 10)}.json`;
}
