import { bigserial, boolean, index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";

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
