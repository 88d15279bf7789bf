import { and, isNotNull, lt, or, gte } from "drizzle-orm";
import { invitationJobs, invitationMails } from "../../drizzle/tables/invitations";
import type { Db } from "../../lib/db/client";
import { MAIL_MAX_ATTEMPTS } from "../../lib/mail/mail-outbox";

/**
 * Finished invitation jobs and mails (sent, or given up) are kept this long
 * for support questions ("did the mail go out?"), then deleted: a mail row
 * holds an address, a name and the meeting's text.
 */
export const INVITATION_JOURNAL_RETENTION_MS = 30 * 24 * 60 * 60_000;

export async function pruneInvitationJournal(db: Db, before: Date): Promise<{ jobs: number; mails: number }> {
  const jobs = await db
    .delete(invitationJobs)
    .where(and(isNotNull(invitationJobs.doneAt), lt(invitationJobs.createdAt, before)))
    .returning({ id: invitationJobs.id });
  const mails = await db
    .delete(invitationMails)
    .where(and(or(isNotNull(invitationMails.sentAt), gte(invitationMails.attempts, MAIL_MAX_ATTEMPTS)), lt(invitationMails.createdAt, before)))
    .returning({ id: invitationMails.id });
  return { jobs: jobs.length, mails: mails.length };
}
