import { auditLog } from "../../drizzle/schema";
import type { Db } from "../../lib/db/client";
import type { Logger } from "../../lib/log";
import { deleteLocalMedia, parseMxc } from "../../lib/matrix/admin-media";
import type { AdminContext } from "../../lib/matrix/admin-users";
import { SNIFF_BYTES, sniffFileType } from "../../lib/policy/file-type-sniff";
import { isAllowedType, type UsagePolicy } from "../../lib/policy/usage-policy";
import type { BotClient, HomeserverConnection } from "../shared/homeserver";
import type { Outbox } from "../shared/outbox";
import { buildNotice, escapeHtml } from "../shared/replies";
import type { ReportToAdmins } from "./admin-report";
import { POLICY_ACTOR } from "./enforce-room-policy";
import { downloadHead, redactEvent } from "./moderation-calls";
import { POLICY_BOT_NAME } from "./policy-texts";
import { actingUserIn } from "../shared/module-bot";

/** Message types that carry a file in `content.url`. */
export const FILE_MSGTYPES: readonly string[] = ["m.file", "m.image", "m.video", "m.audio"];

export interface UploadCheckDeps {
  /** A module bot client (bots/shared/module-bot) acts as the policy bot once it is in the room. */
  client: Pick<BotClient, "userId" | "sendEvent"> & { actingUserIn?: (roomId: string) => Promise<string> };
  connection: HomeserverConnection;
  outbox: Outbox;
  db: Db;
  serverName: string;
  /** The homeserver admin token's holder; without it the file is redacted but stays in the store. */
  mediaAdmin: AdminContext | null;
  isDryRun: boolean;
  logger: Logger;
  report: ReportToAdmins;
}

export interface UploadEvent {
  event_id: string;
  room_id: string;
  sender: string;
  content: Record<string, unknown>;
}

export type UploadProblem = "type-not-allowed" | "too-large";

const MIB = 1024 * 1024;
const sizeText = (bytes: number) => (bytes >= MIB ? `${(bytes / MIB).toFixed(1)} MiB` : `${Math.ceil(bytes / 1024)} KiB`);

function noticeFor(problem: UploadProblem, sniffed: string, policy: UsagePolicy): { de: string; en: string } {
  if (problem === "too-large") {
    const max = sizeText(policy.attachments.maxBytes);
    return {
      de: `Eine Datei wurde entfernt: Sie ist größer als die erlaubten ${max}.`,
      en: `A file was removed: it is larger than the allowed ${max}.`,
    };
  }
  return {
    de: `Eine Datei wurde entfernt: Ihr Inhalt ist vom Typ ${sniffed}, und dieser Dateityp ist in verwalteten Räumen nicht erlaubt.`,
    en: `A file was removed: its content is of type ${sniffed}, which managed rooms do not allow.`,
  };
}

/**
 * Judges an uploaded file by its bytes, not by its name or declared type.
 * A disallowed or too large file is redacted, deleted from the media store,
 * audited, explained in the room and reported to the admins. Returns the
 * problem found, or null when the file may stay.
 */
export async function checkUpload(deps: UploadCheckDeps, event: UploadEvent, policy: UsagePolicy): Promise<UploadProblem | null> {
  const msgtype = event.content.msgtype;
  if (typeof msgtype !== "string" || !FILE_MSGTYPES.includes(msgtype)) return null;
  const media = parseMxc(event.content.url);
  const info = (event.content.info ?? {}) as Record<string, unknown>;
  const declaredType = typeof info.mimetype === "string" ? info.mimetype : null;
  const fields = { roomId: event.room_id, eventId: event.event_id, sender: event.sender, msgtype, declaredType };

  let problem: UploadProblem | null;
  let sniffed: string;
  let size: number | null = null;
  if (!media) {
    // No plain mxc URL (an encrypted file, or a link elsewhere): nothing the city can check is allowed.
    problem = "type-not-allowed";
    sniffed = "unbekannt/unknown";
  } else {
    const downloaded = await downloadHead(deps.connection, deps.client.userId, media, {
      headBytes: SNIFF_BYTES,
      limitBytes: policy.attachments.maxBytes,
    });
    size = downloaded.size;
    sniffed = sniffFileType(downloaded.head);
    problem = downloaded.isTooLarge ? "too-large" : isAllowedType(policy, sniffed) ? null : "type-not-allowed";
  }
  if (!problem) {
    deps.logger.debug({ ...fields, sniffedType: sniffed }, "upload allowed");
    return null;
  }
  if (deps.isDryRun) {
    deps.logger.info({ ...fields, sniffedType: sniffed, problem, dryRun: true }, "policy: would remove upload (dry run)");
    return problem;
  }

  const text = noticeFor(problem, sniffed, policy);
  const redactionId = await redactEvent(deps.connection, await actingUserIn(deps.client, event.room_id), event.room_id, event.event_id, `policy-upload-${event.event_id}`, text.en);
  const isLocal = media !== null && media.server === deps.serverName;
  const mediaIds = [media, parseMxc(info.thumbnail_url)].filter((m): m is { server: string; mediaId: string } => m !== null && m.server === deps.serverName);
  let mediaDeleted = false;
  if (isLocal && deps.mediaAdmin) {
    for (const m of mediaIds) {
      const deleted = await deleteLocalMedia(deps.mediaAdmin, m.server, m.mediaId);
      if (m === media) mediaDeleted = deleted;
    }
  } else if (isLocal) {
    deps.logger.warn(fields, "upload redacted but not deleted: no homeserver admin token configured (MATRIX_ADMIN_TOKEN)");
  }
  await deps.db.insert(auditLog).values({
    actor: POLICY_ACTOR,
    action: "policy.upload-removed",
    subject: event.room_id,
    details: {
      botUserId: deps.client.userId,
      reason: problem,
      offendingEventId: event.event_id,
      redactionEventId: redactionId,
      changedBy: event.sender,
      declaredType,
      sniffedType: sniffed,
      size,
      maxBytes: policy.attachments.maxBytes,
      media: media ? `mxc://${media.server}/${media.mediaId}` : null,
      mediaDeleted,
    },
  });
  deps.logger.info({ ...fields, sniffedType: sniffed, problem, mediaDeleted }, "policy enforced: upload removed");
  await deps.outbox.send(
    deps.client,
    event.room_id,
    buildNotice(`${POLICY_BOT_NAME}: ${text.de}\n${text.en}`, `<strong>${escapeHtml(POLICY_BOT_NAME)}</strong>: ${escapeHtml(text.de)}<br>${escapeHtml(text.en)}`),
    `upload:${event.event_id}`,
  );
  await deps.report(`upload:${event.event_id}`, {
    de: `Datei von ${event.sender} in ${event.room_id} entfernt (${problem === "too-large" ? "zu groß" : `Typ ${sniffed}`}; Datei gelöscht: ${mediaDeleted ? "ja" : "nein"}).`,
    en: `File from ${event.sender} in ${event.room_id} removed (${problem === "too-large" ? "too large" : `type ${sniffed}`}; file deleted: ${mediaDeleted ? "yes" : "no"}).`,
  });
  return problem;
}
