import { desc } from "drizzle-orm";
import { z } from "zod";
import { retentionPolicies, type RetentionPolicyRow } from "../../drizzle/tables/lifecycle";
import type { Db } from "../db/client";
import { fieldErrors } from "../field-errors";

/**
 * The retention policy: how long each kind of room and each guest account
 * lives. One zod schema guards the admin form, the database row and every
 * reader, so an invalid value is refused with a message per field and the
 * policy in force stays as it was.
 */

const days = (label: string, max = 3650) =>
  z.coerce
    .number({ error: `${label}: bitte eine Zahl angeben` })
    .int(`${label}: bitte ganze Tage angeben`)
    .min(1, `${label}: mindestens 1 Tag`)
    .max(max, `${label}: höchstens ${max} Tage`);

export const retentionPolicySchema = z
  .object({
    meetingDeleteAfterDays: days("Besprechungen"),
    meetingWarnDaysBefore: days("Ankündigung vor Löschung", 365),
    teamWarnAfterDays: days("Teamräume: Warnung"),
    teamDeleteAfterDays: days("Teamräume: Löschung"),
    directWarnAfterDays: days("Direktchats: Warnung"),
    directDeleteAfterDays: days("Direktchats: Löschung"),
    guestEraseAfterDays: z.coerce
      .number({ error: "Gäste: bitte eine Zahl angeben" })
      .int("Gäste: bitte ganze Tage angeben")
      .min(0, "Gäste: mindestens 0 Tage")
      .max(365, "Gäste: höchstens 365 Tage"),
    postponeDays: days("Aufschub", 365),
    maxRoomOverrideDays: days("Höchstdauer je Raum"),
    /** Empty form field → no message retention: messages live as long as the room. */
    messageRetentionDays: z.preprocess((v) => (v === "" || v === null || v === undefined ? null : v), days("Nachrichten").nullable()),
  })
  .superRefine((p, ctx) => {
    if (p.teamDeleteAfterDays <= p.teamWarnAfterDays) {
      ctx.addIssue({ code: "custom", path: ["teamDeleteAfterDays"], message: "Teamräume: die Löschung muss nach der Warnung kommen" });
    }
    if (p.directDeleteAfterDays <= p.directWarnAfterDays) {
      ctx.addIssue({ code: "custom", path: ["directDeleteAfterDays"], message: "Direktchats: die Löschung muss nach der Warnung kommen" });
    }
    if (p.meetingWarnDaysBefore >= p.meetingDeleteAfterDays) {
      ctx.addIssue({ code: "custom", path: ["meetingWarnDaysBefore"], message: "Die Ankündigung muss vor der Löschfrist liegen" });
    }
  });

export type RetentionPolicyValues = z.infer<typeof retentionPolicySchema>;

export interface RetentionPolicy extends RetentionPolicyValues {
  /** 0 for the built-in defaults (nothing saved yet). */
  version: number;
}

/** The defaults the project's deletion concept starts from (issue 7). */
export const DEFAULT_RETENTION_POLICY: RetentionPolicy = {
  version: 0,
  meetingDeleteAfterDays: 30,
  meetingWarnDaysBefore: 7,
  teamWarnAfterDays: 180,
  teamDeleteAfterDays: 210,
  directWarnAfterDays: 365,
  directDeleteAfterDays: 395,
  guestEraseAfterDays: 7,
  postponeDays: 30,
  maxRoomOverrideDays: 730,
  messageRetentionDays: null,
};

function fromRow(row: RetentionPolicyRow): RetentionPolicy {
  const { version, createdAt: _c, createdBy: _b, ...values } = row;
  return { version, ...retentionPolicySchema.parse(values) };
}

/** The policy in force: the latest saved version, else the defaults. */
export async function currentRetentionPolicy(db: Db): Promise<RetentionPolicy> {
  const [row] = await db.select().from(retentionPolicies).orderBy(desc(retentionPolicies.version)).limit(1);
  return row ? fromRow(row) : DEFAULT_RETENTION_POLICY;
}

export type SavePolicyResult =
  | { ok: true; policy: RetentionPolicy }
  | { ok: false; fieldErrors: Partial<Record<keyof RetentionPolicyValues, string>> };

/** Validates and stores a new version; on invalid input nothing is written. Callers check the admin role. */
export async function saveRetentionPolicy(db: Db, input: unknown, createdBy: string | null): Promise<SavePolicyResult> {
  const parsed = retentionPolicySchema.safeParse(input);
  if (!parsed.success) return { ok: false, fieldErrors: fieldErrors(parsed.error) };
  const [row] = await db.insert(retentionPolicies).values({ ...parsed.data, createdBy }).returning();
  return { ok: true, policy: fromRow(row!) };
}
