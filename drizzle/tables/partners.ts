import { bigserial, index, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { people, rooms } from "../schema";

/**
 * Partner organisations (the city's companies) whose homeservers may federate
 * with ours. Only `approved` partners take part; the homeserver's allow-list
 * and every room's server ACL are derived from these rows.
 */
export const partners = pgTable("partners", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull(),
  contact: text("contact").notNull().default(""),
  status: text("status", { enum: ["requested", "approved", "suspended"] }).notNull().default("requested"),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/** A partner's homeserver names (`host` or `host:port`); one server belongs to one partner. */
export const partnerServers = pgTable(
  "partner_servers",
  {
    serverName: text("server_name").primaryKey(),
    partnerId: uuid("partner_id")
      .notNull()
      .references(() => partners.id, { onDelete: "cascade" }),
  },
  (t) => [index("partner_servers_partner_idx").on(t.partnerId)],
);

/** Which partners a managed room is opened to. A room without rows stays local. */
export const roomPartners = pgTable(
  "room_partners",
  {
    roomId: uuid("room_id")
      .notNull()
      .references(() => rooms.id, { onDelete: "cascade" }),
    partnerId: uuid("partner_id")
      .notNull()
      .references(() => partners.id, { onDelete: "cascade" }),
    addedBy: uuid("added_by").references(() => people.id),
    addedAt: timestamp("added_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.roomId, t.partnerId] }), index("room_partners_partner_idx").on(t.partnerId)],
);

/**
 * What the bots still have to bring to the homeserver: every change to
 * partners or a room's partners appends one row, and the bots apply rows in
 * order (a room id narrows the work to that room; a partner id to its rooms).
 */
export const federationChanges = pgTable("federation_changes", {
  id: bigserial("id", { mode: "number" }).primaryKey(),
  at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  kind: text("kind", { enum: ["partner", "room"] }).notNull(),
  partnerId: uuid("partner_id"),
  roomId: uuid("room_id"),
});

export type Partner = typeof partners.$inferSelect;
export type PartnerStatus = Partner["status"];
export type FederationChange = typeof federationChanges.$inferSelect;
