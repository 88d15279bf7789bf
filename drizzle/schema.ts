import { bigserial, index, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

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
