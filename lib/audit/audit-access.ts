import { inArray } from "drizzle-orm";
import { auditLog, people } from "../../drizzle/schema";
import type { Db } from "../db/client";
import { requireAdmin } from "../people/admin-access";
import { auditCsvStream } from "./audit-export";
import { listAuditEntries, type AuditConditions, type AuditFilter, type AuditPage } from "./audit-query";

/** The audit log is for portal admins only; the role is read fresh from the database on every call. */

export async function auditPageForAdmin(db: Db, actorId: string, filter: AuditFilter): Promise<AuditPage & { names: Map<string, string> }> {
  await requireAdmin(db, actorId);
  const page = await listAuditEntries(db, filter);
  return { ...page, names: await personNames(db, page.entries.flatMap((e) => [e.actor, e.subject ?? ""])) };
}

/** The CSV export of the filtered log; the export itself is recorded (who exported which filter). */
export async function auditCsvForAdmin(db: Db, actorId: string, filter: AuditConditions): Promise<ReadableStream<Uint8Array>> {
  const actor = await requireAdmin(db, actorId);
  const { action, subject, actor: byActor, from, to } = filter;
  await db.insert(auditLog).values({
    actor: `person:${actor.id}`,
    action: "audit.exported",
    details: { filter: { action, subject, actor: byActor, from, to } },
  });
  return auditCsvStream(db, filter);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Display names for the person ids among actors and subjects (`person:<id>` or bare), for the page. */
export async function personNames(db: Db, references: readonly string[]): Promise<Map<string, string>> {
  const ids = [...new Set(references.map((r) => r.replace(/^person:/, "")).filter((r) => UUID.test(r)))];
  if (ids.length === 0) return new Map();
  const rows = await db.select({ id: people.id, displayName: people.displayName }).from(people).where(inArray(people.id, ids));
  return new Map(rows.map((r) => [r.id, r.displayName]));
}
