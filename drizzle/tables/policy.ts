import { index, integer, jsonb, pgTable, text, timestamp, uuid, bigserial } from "drizzle-orm/pg-core";
import { people } from "../schema";

/**
 * The usage policy, one row per version: a change is a new row, never an
 * update, and the highest version is in force. Without any row the code's
 * defaults (lib/policy/usage-policy DEFAULT_POLICY) apply.
 */
export const usagePolicyVersions = pgTable("usage_policy_versions", {
  version: integer("version").primaryKey(),
  /** A UsagePolicy, validated before it is written and again when it is read. */
  policy: jsonb("policy").$type<Record<string, unknown>>().notNull(),
  createdBy: uuid("created_by").references(() => people.id),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Temporary mutes from flood protection. The row is the durable timer: a
 * restart finds every mute whose end has come and lifts it.
 */
export const floodRestrictions = pgTable(
  "flood_restrictions",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    roomId: text("room_id").notNull(),
    userId: text("user_id").notNull(),
    /** The person's explicit level before the mute; null when they had none (users_default). */
    previousLevel: integer("previous_level"),
    restrictedAt: timestamp("restricted_at", { withTimezone: true }).notNull().defaultNow(),
    endsAt: timestamp("ends_at", { withTimezone: true }).notNull(),
    liftedAt: timestamp("lifted_at", { withTimezone: true }),
  },
  (t) => [index("flood_restrictions_open_idx").on(t.liftedAt, t.endsAt), index("flood_restrictions_room_user_idx").on(t.roomId, t.userId)],
);

/** Settings the bots keep for themselves, such as the admin room's id; one row per key. */
export const botSettings = pgTable("bot_settings", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

export type UsagePolicyVersion = typeof usagePolicyVersions.$inferSelect;
export type FloodRestriction = typeof floodRestrictions.$inferSelect;
