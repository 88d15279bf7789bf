import { and, asc, eq, isNull, lt, lte } from "drizzle-orm";
import nodemailer from "nodemailer";
import { invitationMails, type InvitationMail } from "../../drizzle/tables/invitations";
import type { AppConfig } from "../config/load";
import type { Db } from "../db/client";
import type { Logger } from "../log";

/**
 * Durable invitation mail: rows are queued once per (meeting, person,
 * calendar sequence) and sent by the bots with growing pauses between
 * attempts, so an SMTP outage delays mail but loses none and sends none twice.
 */

export type NewInvitationMail = Omit<typeof invitationMails.$inferInsert, "id" | "createdAt" | "attempts" | "nextAttemptAt" | "sentAt" | "lastError">;

/** Queues mails; one already queued for the same (meeting, person, sequence) is left as it is. */
export async function queueInvitationMails(db: Db, mails: NewInvitationMail[]): Promise<number> {
  if (mails.length === 0) return 0;
  const inserted = await db.insert(invitationMails).values(mails).onConflictDoNothing().returning({ id: invitationMails.id });
  return inserted.length;
}

export interface OutgoingMail {
  /** Stable per row: a receiving system that sees it twice can tell. */
  messageId: string;
  from: string;
  to: string;
  subject: string;
  text: string;
  ics: string;
  method: "REQUEST" | "CANCEL";
}

export type SendMail = (mail: OutgoingMail) => Promise<void>;

/** SMTP through nodemailer; null without SMTP_URL (then no mail is queued at all). */
export function smtpSender(config: Pick<AppConfig, "mail">): SendMail | null {
  if (!config.mail.smtpUrl) return null;
  const transport = nodemailer.createTransport(config.mail.smtpUrl);
  return async (mail) => {
    await transport.sendMail({
      messageId: mail.messageId,
      from: mail.from,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      // text/calendar with the METHOD: Outlook and Thunderbird offer "accept" / "remove from calendar".
      attachments: [
        {
          filename: mail.method === "CANCEL" ? "absage.ics" : "einladung.ics",
          content: mail.ics,
          contentType: `text/calendar; charset=utf-8; method=${mail.method}`,
          contentTransferEncoding: "base64",
        },
      ],
    });
  };
}

export const MAIL_MAX_ATTEMPTS = 10;
const BASE_DELAY_MS = 30_000;
const MAX_DELAY_MS = 60 * 60_000;

/** 30 s, 1 min, 2 min, … up to an hour. */
export function mailRetryDelayMs(attempts: number): number {
  return Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.max(0, attempts - 1));
}

export interface MailDeliveryDeps {
  db: Db;
  send: SendMail;
  from: string;
  /** Domain for Message-IDs (the homeserver's server name). */
  messageIdDomain: string;
  logger: Logger;
  now?: () => Date;
}

/** Sends every due mail once; returns how many went out. */
export async function deliverDueMails(deps: MailDeliveryDeps, limit = 50): Promise<number> {
  const now = deps.now ?? (() => new Date());
  const due: InvitationMail[] = await deps.db
    .select()
    .from(invitationMails)
    .where(and(isNull(invitationMails.sentAt), lte(invitationMails.nextAttemptAt, now()), lt(invitationMails.attempts, MAIL_MAX_ATTEMPTS)))
    .orderBy(asc(invitationMails.createdAt))
    .limit(limit);
  let sent = 0;
  for (const mail of due) {
    try {
      await deps.send({
        messageId: `<${mail.id}@${deps.messageIdDomain}>`,
        from: deps.from,
        to: mail.recipient,
        subject: mail.subject,
        text: mail.body,
        ics: mail.ics,
        method: mail.method,
      });
    } catch (err) {
      const attempts = mail.attempts + 1;
      await deps.db
        .update(invitationMails)
        .set({ attempts, lastError: (err as Error).message.slice(0, 500), nextAttemptAt: new Date(now().getTime() + mailRetryDelayMs(attempts)) })
        .where(eq(invitationMails.id, mail.id));
      const level = attempts >= MAIL_MAX_ATTEMPTS ? "error" : "warn";
      deps.logger[level]({ mailId: mail.id, attempts, err: (err as Error).message }, attempts >= MAIL_MAX_ATTEMPTS ? "invitation mail given up" : "invitation mail will be retried");
      continue;
    }
    await deps.db.update(invitationMails).set({ sentAt: now(), attempts: mail.attempts + 1, lastError: null }).where(eq(invitationMails.id, mail.id));
    sent++;
  }
  if (sent > 0) deps.logger.info({ sent }, "invitation mails sent");
  return sent;
}
