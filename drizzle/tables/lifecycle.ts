import { sql } from "drizzle-orm";
import { bigserial, check, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { people, rooms } from "../schema";

/**
 * The retention policy admins set under /admin/aufbewahrung. Every save is a
 * new row (the highest id is in force), so an audit entry can name the
 * version it acted under and an invalid save never touches the old one.
 */
export const retentionPolicies = pgTable(
  "retention_policies",
  {
    version: bigserial("version", { mode: "number" }).primaryKey(),
    /** Meeting rooms are deleted this many days after the meeting ends … */
    meetingDeleteAfterDays: integer("meeting_delete_after_days").notNull(),
    /** … and announced this many days before. */
    meetingWarnDaysBefore: integer("meeting_warn_days_before").notNull(),
    teamWarnAfterDays: integer("team_warn_after_days").notNull(),
    teamDeleteAfterDays: integer("team_delete_after_days").notNull(),
    directWarnAfterDays: integer("direct_warn_after_days").notNull(),
    directDeleteAfterDays: integer("direct_delete_after_days").notNull(),
    /** Guests are deactivated when their access ends and erased this many days later. */
    guestEraseAfterDays: integer("guest_erase_after_days").notNull(),
    /** How far a room admin may postpone a deletion, once. */
    postponeDays: integer("postpone_days").notNull(),
    /** Upper limit for a per-room deletion period set by a city admin. */
    maxRoomOverrideDays: integer("max_room_override_days").notNull(),
    /** Messages older than this are removed by the homeserver; null: kept as long as the room. */
    messageRetentionDays: integer("message_retention_days"),
    createdBy: uuid("created_by").references(() => people.id),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check("retention_policies_positive", sql`${t.meetingDeleteAfterDays} >= 1 and ${t.teamWarnAfterDays} >= 1 and ${t.directWarnAfterDays} >= 1`),
    check(
      "retention_policies_order",
      sql`${t.teamDeleteAfterDays} > ${t.teamWarnAfterDays} and ${t.directDeleteAfterDays} > ${t.directWarnAfterDays}`,
    ),
  ],
);

/**
 * What was decided for one managed room: the warning already posted, a
 * postponement (once, by a room admin), a permanent keep (city admins, with
 * a reason), or a per-room deletion period within the admins' limit.
 */
export const roomRetention = pgTable("room_retention", {
  roomId: uuid("room_id")
    .primaryKey()
    .references(() => rooms.id, { onDelete: "cascade" }),
  /** The deletion date the room's members were told about. */
  warnedFor: timestamp("warned_for", { withTimezone: true }),
  warnedAt: timestamp("warned_at", { withTimezone: true }),
  postponedAt: timestamp("postponed_at", { withTimezone: true }),
  postponedBy: text("postponed_by"),
  postponedDays: integer("postponed_days"),
  keptAt: timestamp("kept_at", { withTimezone: true }),
  keptBy: uuid("kept_by").references(() => people.id),
  keepReason: text("keep_reason"),
  overrideDays: integer("override_days"),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

export const LIFECYCLE_JOB_STATES = ["pending", "delete_requested", "done", "failed", "cancelled"] as const;
export type LifecycleJobState = (typeof LIFECYCLE_JOB_STATES)[number];

/**
 * Durable cleanup jobs: one per room deletion or guest erasure. A worker
 * takes a job by setting `locked_by` and `lease_until` in one conditional
 * statement; the homeserver's delete id is stored before it is polled, so a
 * restart continues where the last run stopped. Not tied to `rooms` by a
 * foreign key: the job and its outcome outlive the room.
 */
export const lifecycleJobs = pgTable(
  "lifecycle_jobs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    kind: text("kind", { enum: ["room_delete", "guest_erase"] }).notNull(),
    /** Matrix room id or guest Matrix user id. */
    target: text("target").notNull(),
    roomKind: text("room_kind"),
    reason: text("reason").notNull(),
    policyVersion: integer("policy_version").notNull(),
    state: text("state", { enum: LIFECYCLE_JOB_STATES }).notNull().default("pending"),
    deleteId: text("delete_id"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
    lastError: text("last_error"),
    lockedBy: text("locked_by"),
    leaseUntil: timestamp("lease_until", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    completedAt: timestamp("completed_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("lifecycle_jobs_kind_target_idx").on(t.kind, t.target),
    index("lifecycle_jobs_state_next_idx").on(t.state, t.nextAttemptAt),
  ],
);

export type RetentionPolicyRow = typeof retentionPolicies.$inferSelect;
export type RoomRetention = typeof roomRetention.$inferSelect;
export type LifecycleJob = typeof lifecycleJobs.$inferSelect;
