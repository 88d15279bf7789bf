import { bigserial, index, integer, pgTable, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { people, usageRules } from "../schema";

/**
 * Staff acceptances of the usage rules (guests record theirs on the guest
 * row). One row per person and rules version; a new version needs a new row.
 */
export const staffRulesAcceptances = pgTable(
  "staff_rules_acceptances",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    personId: uuid("person_id")
      .notNull()
      .references(() => people.id, { onDelete: "cascade" }),
    rulesVersion: integer("rules_version")
      .notNull()
      .references(() => usageRules.version),
    acceptedAt: timestamp("accepted_at", { withTimezone: true }).notNull().defaultNow(),
    /** When the homeserver's consent tracking learned of it (null: not yet, retried at the next visit). */
    homeserverRecordedAt: timestamp("homeserver_recorded_at", { withTimezone: true }),
  },
  (t) => [uniqueIndex("staff_rules_acceptances_person_version_idx").on(t.personId, t.rulesVersion), index("staff_rules_acceptances_person_idx").on(t.personId)],
);

export type StaffRulesAcceptance = typeof staffRulesAcceptances.$inferSelect;
