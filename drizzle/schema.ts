import { sql } from "drizzle-orm";
import { bigserial, boolean, check, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";

const timestamps = {
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
};

/** Staff known to the portal, keyed by the identity provider's stable person id (never the email). */
export const people = pgTable("people", {
  id: uuid("id").primaryKey().defaultRandom(),
  subject: text("subject").notNull().unique(),
  /** Known after the first Matrix sign-in; the homeserver decides it (SSO external-id mapping). */
  matrixUserId: text("matrix_user_id").unique(),
  username: text("username"),
  displayName: text("display_name").notNull(),
  email: text("email"),
  departments: jsonb("departments").$type<string[]>().notNull().default([]),
  role: text("role", { enum: ["staff", "admin"] }).notNull().default("staff"),
  lastSignInAt: timestamp("last_sign_in_at", { withTimezone: true }),
  /** Set when the identity provider or an admin disabled the person; no new sessions. */
  disabledAt: timestamp("disabled_at", { withTimezone: true }),
  ...timestamps,
});

/**
 * Server-side portal sessions: the browser's cookie names one row (by the
 * hash of a random id), so a session can be revoked, idles out and ends at
 * its absolute lifetime. Tokens are encrypted at rest with AUTH_SECRET.
 */
export const portalSessions = pgTable(
  "portal_sessions",
  {
    idHash: text("id_hash").primaryKey(),
    personId: uuid("person_id")
      .notNull()
      .references(() => people.id, { onDelete: "cascade" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    revokeReason: text("revoke_reason"),
    /** The identity provider's session id (`sid`), for back-channel logout. */
    idpSessionId: text("idp_session_id"),
    idTokenEnc: text("id_token_enc"),
    refreshTokenEnc: text("refresh_token_enc"),
    /** One-time value binding the Matrix SSO round trip to this session. */
    matrixLoginState: text("matrix_login_state"),
    matrixUserId: text("matrix_user_id"),
    matrixDeviceId: text("matrix_device_id"),
    matrixAccessTokenEnc: text("matrix_access_token_enc"),
  },
  (t) => [index("portal_sessions_person_idx").on(t.personId), index("portal_sessions_idp_sid_idx").on(t.idpSessionId)],
);

/** Append-only record of what people and bots changed; kept after the subject is gone. */
export const auditLog = pgTable(
  "audit_log",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    actor: text("actor").notNull(),
    action: text("action").notNull(),
    subject: text("subject"),
    details: jsonb("details").$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [index("audit_log_at_idx").on(t.at), index("audit_log_action_idx").on(t.action)],
);

export type Person = typeof people.$inferSelect;
export type NewPerson = typeof people.$inferInsert;
export type AuditEntry = typeof auditLog.$inferSelect;
export type PortalSession = typeof portalSessions.$inferSelect;

/**
 * Rooms the service manages. The homeserver holds the truth about
 * membership and power levels; this row holds what the portal needs to list
 * and plan (kind, times, who may join) and the creation's idempotency key.
 */
export const rooms = pgTable(
  "rooms",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** Null while the homeserver call is in flight (a retried request waits for it). */
    matrixRoomId: text("matrix_room_id").unique(),
    kind: text("kind", { enum: ["meeting", "team", "direct"] }).notNull(),
    name: text("name").notNull(),
    topic: text("topic").notNull().default(""),
    organiserId: uuid("organiser_id")
      .notNull()
      .references(() => people.id),
    startsAt: timestamp("starts_at", { withTimezone: true }),
    endsAt: timestamp("ends_at", { withTimezone: true }),
    access: text("access", { enum: ["invited", "department", "city"] }).notNull(),
    department: text("department"),
    partnersAllowed: boolean("partners_allowed").notNull().default(false),
    conferenceId: text("conference_id").notNull(),
    widgetId: text("widget_id").notNull(),
    idempotencyKey: text("idempotency_key").notNull(),
    status: text("status", { enum: ["creating", "active", "failed", "deleted"] }).notNull().default("creating"),
    /** Matrix ids invited at creation: a listing cache only; access is always checked on the homeserver. */
    invitedUserIds: jsonb("invited_user_ids").$type<string[]>().notNull().default([]),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("rooms_organiser_idempotency_idx").on(t.organiserId, t.idempotencyKey),
    index("rooms_starts_at_idx").on(t.startsAt),
    // The dashboard asks "rooms I was invited to" with `invited_user_ids @> [me]`.
    index("rooms_invited_user_ids_idx").using("gin", t.invitedUserIds),
  ],
);

/** Invitations for people who have never signed in: delivered at their first sign-in. */
export const pendingInvitations = pgTable(
  "pending_invitations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    roomId: uuid("room_id")
      .notNull()
      .references(() => rooms.id, { onDelete: "cascade" }),
    /** Login name or e-mail as the organiser typed it, lower-cased. */
    invitee: text("invitee").notNull(),
    invitedBy: uuid("invited_by")
      .notNull()
      .references(() => people.id),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    deliveredAt: timestamp("delivered_at", { withTimezone: true }),
  },
  (t) => [uniqueIndex("pending_invitations_room_invitee_idx").on(t.roomId, t.invitee), index("pending_invitations_invitee_idx").on(t.invitee)],
);

export type Room = typeof rooms.$inferSelect;
export type PendingInvitation = typeof pendingInvitations.$inferSelect;

/**
 * Versioned usage rules and privacy notice a guest accepts before joining
 * (German is binding, English a translation). `{stadt}` in the texts stands
 * for the city's name. A new version is a new row; acceptances name the version.
 */
export const usageRules = pgTable("usage_rules", {
  version: integer("version").primaryKey(),
  textDe: text("text_de").notNull(),
  textEn: text("text_en").notNull(),
  privacyDe: text("privacy_de").notNull(),
  privacyEn: text("privacy_en").notNull(),
  /** Null for the version shipped with the software. */
  createdBy: uuid("created_by").references(() => people.id),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Invite links for external guests. Only the SHA-256 of the secret is kept;
 * the secret itself is shown once. `uses` only ever grows through one
 * conditional UPDATE, and the check constraint keeps it within `max_uses`.
 */
export const guestLinks = pgTable(
  "guest_links",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    roomId: uuid("room_id")
      .notNull()
      .references(() => rooms.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull().unique(),
    label: text("label").notNull().default(""),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    maxUses: integer("max_uses").notNull().default(1),
    uses: integer("uses").notNull().default(0),
    requiresAdmission: boolean("requires_admission").notNull().default(false),
    createdBy: uuid("created_by")
      .notNull()
      .references(() => people.id),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    revokedBy: uuid("revoked_by").references(() => people.id),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("guest_links_room_idx").on(t.roomId),
    check("guest_links_uses_check", sql`${t.uses} >= 0 and ${t.uses} <= ${t.maxUses} and ${t.maxUses} >= 1`),
  ],
);

/**
 * A guest who redeemed a link: one Matrix account in the application
 * service's namespace, bound to one browser by the hash of a random session
 * id. Nothing personal beyond the chosen display name is stored.
 */
export const guests = pgTable(
  "guests",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    linkId: uuid("link_id")
      .notNull()
      .references(() => guestLinks.id, { onDelete: "cascade" }),
    /** Chosen before the account exists, so a retry completes this account instead of making another. */
    matrixUserId: text("matrix_user_id").notNull().unique(),
    displayName: text("display_name").notNull(),
    sessionHash: text("session_hash").notNull().unique(),
    acceptedRulesVersion: integer("accepted_rules_version")
      .notNull()
      .references(() => usageRules.version),
    acceptedAt: timestamp("accepted_at", { withTimezone: true }).notNull(),
    status: text("status", { enum: ["waiting", "admitted", "rejected", "expired"] }).notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    /** The guest's own Matrix device and token (encrypted with AUTH_SECRET), scoped by the homeserver module. */
    matrixDeviceId: text("matrix_device_id"),
    matrixAccessTokenEnc: text("matrix_access_token_enc"),
    /** Set once the account exists, carries its name and has joined the room; until then a retry repairs. */
    joinedAt: timestamp("joined_at", { withTimezone: true }),
    /** Set once the guest was removed from the room and the account deactivated. */
    removedAt: timestamp("removed_at", { withTimezone: true }),
    decidedBy: uuid("decided_by").references(() => people.id),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("guests_link_idx").on(t.linkId), index("guests_status_expires_idx").on(t.status, t.expiresAt)],
);

export type UsageRules = typeof usageRules.$inferSelect;
export type GuestLink = typeof guestLinks.$inferSelect;
export type Guest = typeof guests.$inferSelect;

/**
 * Application-service transactions the homeserver pushed to the bots:
 * recorded on receipt, completed once every event's effects are done, and
 * only then acknowledged. A transaction delivered again after completion is
 * acknowledged without effect, also after a restart.
 */
export const appserviceTransactions = pgTable(
  "appservice_transactions",
  {
    txnId: text("txn_id").primaryKey(),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
    completedAt: timestamp("completed_at", { withTimezone: true }),
  },
  (t) => [index("appservice_transactions_received_idx").on(t.receivedAt)],
);

/**
 * Messages the bots send, stored with their transaction id before the send:
 * a retried send reuses the id, so the homeserver keeps one event; once
 * `sent_at` is set the message is never sent again.
 */
export const botOutbox = pgTable(
  "bot_outbox",
  {
    txnId: text("txn_id").primaryKey(),
    sender: text("sender").notNull(),
    roomId: text("room_id").notNull(),
    eventType: text("event_type").notNull(),
    content: jsonb("content").$type<Record<string, unknown>>().notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp("sent_at", { withTimezone: true }),
    eventId: text("event_id"),
  },
  (t) => [index("bot_outbox_created_idx").on(t.createdAt)],
);

export type AppserviceTransaction = typeof appserviceTransactions.$inferSelect;
export type BotOutboxEntry = typeof botOutbox.$inferSelect;
