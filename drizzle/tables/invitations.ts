import { sql } from "drizzle-orm";
import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { people, rooms } from "../schema";

/**
 * The calendar side of a managed meeting: SEQUENCE grows with every change
 * the organiser makes, so mail calendars replace the entry instead of adding
 * a second one. A cancelled meeting keeps its room (history stays readable).
 */
export const meetingCalendars = pgTable("meeting_calendars", {
  roomId: uuid("room_id")
    .primaryKey()
    .references(() => rooms.id, { onDelete: "cascade" }),
  sequence: integer("sequence").notNull().default(0),
  cancelledAt: timestamp("cancelled_at", { withTimezone: true }),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

export type InvitationJobKind = "add" | "remove" | "details" | "cancel";

export interface InvitationJobPayload {
  /** add / remove: Matrix ids of the people concerned. */
  userIds?: string[];
  /** details: what the meeting looked like before, for the room notice ("verschoben von … auf …"). */
  before?: { name: string; topic: string; startsAt: string | null; endsAt: string | null };
  after?: { name: string; topic: string; startsAt: string | null; endsAt: string | null };
}

/**
 * Changes the organiser made on the portal, handed to the invitations bot:
 * written in the same transaction as the room row, processed by the bot in
 * order per room, retried with backoff until done. Every step of a job is
 * idempotent (stored transaction ids, invite/kick only when the membership
 * still needs it, unique mail keys), so a job run twice has its effects once.
 */
export const invitationJobs = pgTable(
  "invitation_jobs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    roomId: uuid("room_id")
      .notNull()
      .references(() => rooms.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: ["add", "remove", "details", "cancel"] }).notNull(),
    payload: jsonb("payload").$type<InvitationJobPayload>().notNull().default({}),
    /** The meeting's calendar SEQUENCE after this change. */
    sequence: integer("sequence").notNull(),
    requestedBy: uuid("requested_by")
      .notNull()
      .references(() => people.id),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
    doneAt: timestamp("done_at", { withTimezone: true }),
    lastError: text("last_error"),
  },
  (t) => [index("invitation_jobs_open_idx").on(t.roomId, t.createdAt).where(sql`done_at is null`)],
);

/**
 * Invitation mails, one per (meeting, person, calendar sequence): the unique
 * key means a job processed twice queues one mail. Sent by the bots with
 * backoff; `sent_at` set means never again.
 */
export const invitationMails = pgTable(
  "invitation_mails",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    roomId: uuid("room_id")
      .notNull()
      .references(() => rooms.id, { onDelete: "cascade" }),
    personId: uuid("person_id")
      .notNull()
      .references(() => people.id, { onDelete: "cascade" }),
    sequence: integer("sequence").notNull(),
    method: text("method", { enum: ["REQUEST", "CANCEL"] }).notNull(),
    recipient: text("recipient").notNull(),
    subject: text("subject").notNull(),
    body: text("body").notNull(),
    ics: text("ics").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp("sent_at", { withTimezone: true }),
    lastError: text("last_error"),
  },
  (t) => [
    uniqueIndex("invitation_mails_room_person_sequence_idx").on(t.roomId, t.personId, t.sequence),
    index("invitation_mails_due_idx").on(t.nextAttemptAt).where(sql`sent_at is null`),
  ],
);

/** Invitations a person turned down (invite → leave by themselves), shown to the organiser. */
export const invitationDeclines = pgTable(
  "invitation_declines",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    roomId: uuid("room_id")
      .notNull()
      .references(() => rooms.id, { onDelete: "cascade" }),
    userId: text("user_id").notNull(),
    /** The leave event: one decline per event, however often it is delivered. */
    eventId: text("event_id").notNull().unique(),
    declinedAt: timestamp("declined_at", { withTimezone: true }).notNull(),
    notifiedAt: timestamp("notified_at", { withTimezone: true }),
  },
  (t) => [index("invitation_declines_room_idx").on(t.roomId, t.declinedAt)],
);

export type MeetingCalendar = typeof meetingCalendars.$inferSelect;
export type InvitationJob = typeof invitationJobs.$inferSelect;
export type InvitationMail = typeof invitationMails.$inferSelect;
export type InvitationDecline = typeof invitationDeclines.$inferSelect;
