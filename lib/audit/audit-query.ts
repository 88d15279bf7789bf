import { and, desc, eq, gte, like, lt, or, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { auditLog, type AuditEntry } from "../../drizzle/schema";
import type { Db } from "../db/client";
import { cityLocalToDate } from "../time/berlin-time";

/**
 * Reading the audit log for admins: filters, newest first, paged, and the
 * same filters for the CSV export. Only reads - the log has no update or
 * delete path in the portal.
 */

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `Höchstens ${max} Zeichen.`)
    .optional()
    .transform((v) => v || undefined);

const optionalDay = z
  .string()
  .trim()
  .optional()
  .transform((v) => v || undefined)
  .refine((v) => v === undefined || cityLocalToDate(`${v}T00:00`) !== null, "Bitte ein Datum wie 2026-11-25 angeben.");

export const auditFilterSchema = z
  .object({
    /** A prefix: `policy.` finds every policy enforcement, `person.offboarded` exactly that. */
    action: optionalText(100),
    subject: optionalText(300),
    /** A person's id matches whether the entry names them as `person:<id>` or bare. */
    actor: optionalText(300),
    /** Whole days in the city's time zone, both inclusive. */
    from: optionalDay,
    to: optionalDay,
    page: z.coerce.number({ error: "Ungültige Seite." }).int().min(1).max(10_000).default(1),
  })
  .refine((f) => !f.from || !f.to || f.from <= f.to, { path: ["to"], message: "Das Ende liegt vor dem Anfang." });

export type AuditFilter = z.output<typeof auditFilterSchema>;

/** The filter without paging, as the CSV export uses it. */
export type AuditConditions = Partial<Omit<AuditFilter, "page">>;

export const AUDIT_PAGE_SIZE = 50;

/** `%`, `_` and `\` typed by an admin are matched literally. */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function dayStart(day: string): Date {
  return cityLocalToDate(`${day}T00:00`) as Date;
}

/** The day after `day` (calendar arithmetic in UTC, then read as a Berlin date). */
function nextDay(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

export function auditWhere(filter: AuditConditions): SQL | undefined {
  const conditions: (SQL | undefined)[] = [];
  if (filter.action) conditions.push(like(auditLog.action, `${escapeLike(filter.action)}%`));
  if (filter.subject) conditions.push(eq(auditLog.subject, filter.subject));
  if (filter.actor) {
    const bare = filter.actor.replace(/^person:/, "");
    conditions.push(or(eq(auditLog.actor, bare), eq(auditLog.actor, `person:${bare}`)));
  }
  if (filter.from) conditions.push(gte(auditLog.at, dayStart(filter.from)));
  if (filter.to) conditions.push(lt(auditLog.at, dayStart(nextDay(filter.to))));
  return and(...conditions);
}

export interface AuditPage {
  entries: AuditEntry[];
  hasMore: boolean;
}

/** One page of the filtered log, newest first. */
export async function listAuditEntries(db: Db, filter: AuditFilter): Promise<AuditPage> {
  const rows = await db
    .select()
    .from(auditLog)
    .where(auditWhere(filter))
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(AUDIT_PAGE_SIZE + 1)
    .offset((filter.page - 1) * AUDIT_PAGE_SIZE);
  return { entries: rows.slice(0, AUDIT_PAGE_SIZE), hasMore: rows.length > AUDIT_PAGE_SIZE };
}

/**
 * Every entry of the filtered log, newest first, in batches (keyset on
 * `at, id`), so an export of a large log never holds it all in memory.
 */
export async function* allAuditEntries(db: Db, filter: AuditConditions, batchSize = 1_000): AsyncGenerator<AuditEntry> {
  const where = auditWhere(filter);
  let after: { at: Date; id: number } | null = null;
  for (;;) {
    const cursor: SQL | undefined = after ? sql`(${auditLog.at}, ${auditLog.id}) < (${after.at.toISOString()}::timestamptz, ${after.id})` : undefined;
    const rows = await db
      .select()
      .from(auditLog)
      .where(and(where, cursor))
      .orderBy(desc(auditLog.at), desc(auditLog.id))
      .limit(batchSize);
    yield* rows;
    const last = rows.at(-1);
    if (!last || rows.length < batchSize) return;
    after = { at: last.at, id: last.id };
  }
}
