import { eq, type SQL } from "drizzle-orm";
import { auditLog } from "../../drizzle/schema";
import type { Db } from "../db/client";

/**
 * The one place that changes audit entries: an erasure replaces the erased
 * person's identifiers inside the details of entries about them with their
 * pseudonymous id. Entries are never deleted, and nothing else is changed:
 * time, action, actor and subject (ids) stay as recorded.
 */

export interface Pseudonyms {
  pseudonym: string;
  /** Replaced wherever they occur inside a text, in any case (Matrix id, e-mail address). */
  identifiers: (string | null | undefined)[];
  /** Replaced only where a whole value equals them (names, which may be common words). */
  exactValues: (string | null | undefined)[];
}

export function replaceIdentifiers(value: unknown, p: Pseudonyms): unknown {
  // Case-insensitive: an e-mail address is often recorded as typed (Olaf@Stadt.example).
  const contained = p.identifiers
    .filter((v): v is string => !!v && v.length >= 3)
    .map((id) => new RegExp(id.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "gi"));
  const exact = new Set(p.exactValues.filter((v): v is string => !!v));
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") {
      if (exact.has(v)) return p.pseudonym;
      return contained.reduce((text, id) => text.replace(id, p.pseudonym), v);
    }
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value);
}

/** Rewrites the details of the matching entries; returns how many changed. */
export async function pseudonymiseAuditDetails(tx: Db, where: SQL | undefined, p: Pseudonyms): Promise<number> {
  const entries = await tx.select({ id: auditLog.id, details: auditLog.details }).from(auditLog).where(where);
  let changed = 0;
  for (const e of entries) {
    const details = replaceIdentifiers(e.details, p) as Record<string, unknown>;
    if (JSON.stringify(details) === JSON.stringify(e.details)) continue;
    await tx.update(auditLog).set({ details }).where(eq(auditLog.id, e.id));
    changed++;
  }
  return changed;
}
