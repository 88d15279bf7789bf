import type { Db } from "../db/client";
import { formatCityTime } from "../time/berlin-time";
import { actionLabel } from "./action-labels";
import { CSV_BOM, csvRow } from "./audit-csv";
import { allAuditEntries, type AuditConditions } from "./audit-query";

export const AUDIT_CSV_HEADER = ["Nr.", "Zeitpunkt (UTC)", "Zeitpunkt (Berlin)", "Aktion", "Bezeichnung", "Handelnd", "Betroffen", "Details"];

/** The filtered audit log as a CSV stream (UTF-8 with BOM), newest first. */
export function auditCsvStream(db: Db, filter: AuditConditions): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const entries = allAuditEntries(db, filter);
  let started = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(CSV_BOM + csvRow(AUDIT_CSV_HEADER)));
        return;
      }
      // One batch of rows per pull keeps the chunks reasonably large.
      let chunk = "";
      for (let i = 0; i < 200; i++) {
        const next = await entries.next();
        if (next.done) {
          if (chunk) controller.enqueue(encoder.encode(chunk));
          controller.close();
          return;
        }
        const e = next.value;
        chunk += csvRow([e.id, e.at, formatCityTime(e.at), e.action, actionLabel(e.action), e.actor, e.subject, e.details]);
      }
      controller.enqueue(encoder.encode(chunk));
    },
    async cancel() {
      await entries.return(undefined);
    },
  });
}

/** `protokoll-2026-11-25.csv`, or with the action filter in the name. */
export function auditCsvFileName(filter: Pick<AuditConditions, "action">, now: Date): string {
  const action = filter.action ? `-${filter.action.replace(/[^a-z0-9-]+/gi, "_").replace(/_+$/, "")}` : "";
  return `protokoll${action}-${now.toISOString().slice(0, 10)}.csv`;
}
