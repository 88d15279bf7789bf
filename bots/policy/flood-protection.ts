import { and, eq, isNull, lte } from "drizzle-orm";
import { auditLog } from "../../drizzle/schema";
import { floodRestrictions } from "../../drizzle/tables/policy";
import type { Db } from "../../lib/db/client";
import type { Logger } from "../../lib/log";
import { levelValue, powerLevelOf, roomPowerState } from "../../lib/matrix/power-levels";
import type { FloodLimiter } from "../../lib/policy/flood-limiter";
import { MODERATOR_LEVEL, type UsagePolicy } from "../../lib/policy/usage-policy";
import type { BotClient } from "../shared/homeserver";
import type { Outbox } from "../shared/outbox";
import { buildNotice, escapeHtml } from "../shared/replies";
import type { ReportToAdmins } from "./admin-report";
import { POLICY_ACTOR } from "./enforce-room-policy";
import { POLICY_BOT_NAME } from "./policy-texts";

/**
 * Flood protection: a person who writes more than the policy allows in its
 * window is warned; writing on gets them muted (a power level below
 * `events_default`) for the policy's minutes. The mute is a database row
 * first, so the lift happens even if the bots restart in between. Staff
 * moderators (power 50 and up) are never limited.
 */

export interface FloodDeps {
  client: Pick<BotClient, "userId" | "getState" | "sendState" | "sendEvent">;
  outbox: Outbox;
  db: Db;
  limiter: FloodLimiter;
  isDryRun: boolean;
  logger: Logger;
  report: ReportToAdmins;
  now: () => number;
}

export interface CountedMessage {
  event_id: string;
  room_id: string;
  sender: string;
  origin_server_ts: number;
}

type Json = Record<string, unknown>;

function notice(de: string, en: string): Json {
  return buildNotice(`${POLICY_BOT_NAME}: ${de}\n${en}`, `<strong>${escapeHtml(POLICY_BOT_NAME)}</strong>: ${escapeHtml(de)}<br>${escapeHtml(en)}`);
}

async function powerOf(deps: FloodDeps, roomId: string) {
  const state = await deps.client.getState(roomId);
  const power = roomPowerState(state);
  return { power, content: (power?.content ?? {}) as Json };
}

/** Counts the message and acts when the person floods. Returns what was done. */
export async function countMessage(deps: FloodDeps, message: CountedMessage, policy: UsagePolicy): Promise<"ok" | "warned" | "restricted" | "exempt"> {
  if (!policy.flood.enabled) return "ok";
  const { room_id: roomId, sender } = message;
  const verdict = deps.limiter.hit(roomId, sender, message.origin_server_ts, policy.flood);
  if (verdict === "ok") return "ok";

  const { power, content } = await powerOf(deps, roomId);
  if (powerLevelOf(power, sender) >= MODERATOR_LEVEL) {
    deps.limiter.forget(roomId, sender);
    return "exempt";
  }
  const fields = { roomId, userId: sender, eventId: message.event_id, verdict };
  if (deps.isDryRun) {
    deps.logger.info({ ...fields, dryRun: true }, "policy: would act on flooding (dry run)");
    return verdict === "warn" ? "warned" : "restricted";
  }

  const { messages, windowSeconds, muteMinutes } = policy.flood;
  if (verdict === "warn") {
    await deps.outbox.send(
      deps.client,
      roomId,
      notice(
        `${sender} schreibt sehr viele Nachrichten (mehr als ${messages} in ${windowSeconds} Sekunden). Bitte langsamer, sonst wird das Schreiben für ${muteMinutes} Minuten gesperrt.`,
        `${sender} is sending a lot of messages (more than ${messages} in ${windowSeconds} seconds). Please slow down, or writing is blocked for ${muteMinutes} minutes.`,
      ),
      `flood-warn:${message.event_id}`,
    );
    await deps.db.insert(auditLog).values({
      actor: POLICY_ACTOR,
      action: "policy.flood-warned",
      subject: roomId,
      details: { botUserId: deps.client.userId, changedBy: sender, offendingEventId: message.event_id, messages, windowSeconds },
    });
    deps.logger.info(fields, "policy enforced: flood warning");
    return "warned";
  }

  const eventsDefault = levelValue(content.events_default) ?? 0;
  const users = { ...((content.users ?? {}) as Json) };
  const previousLevel = levelValue(users[sender]) ?? null;
  const mutedLevel = eventsDefault - 1;
  const endsAt = new Date(deps.now() + muteMinutes * 60_000);
  // The row first: if the bots stop right after the mute, the start-up lift still finds it.
  const [row] = await deps.db.insert(floodRestrictions).values({ roomId, userId: sender, previousLevel, endsAt }).returning();
  const mutingEventId = await deps.client.sendState(roomId, "m.room.power_levels", "", { ...content, users: { ...users, [sender]: mutedLevel } });
  await deps.db.insert(auditLog).values({
    actor: POLICY_ACTOR,
    action: "policy.flood-restricted",
    subject: roomId,
    details: {
      botUserId: deps.client.userId,
      changedBy: sender,
      offendingEventId: message.event_id,
      restrictingEventId: mutingEventId,
      restrictionId: row!.id,
      before: { level: previousLevel },
      after: { level: mutedLevel },
      until: endsAt.toISOString(),
    },
  });
  deps.logger.info({ ...fields, until: endsAt.toISOString() }, "policy enforced: flooding person muted");
  await deps.outbox.send(
    deps.client,
    roomId,
    notice(
      `${sender} kann wegen zu vieler Nachrichten ${muteMinutes} Minuten lang nicht schreiben.`,
      `${sender} cannot write for ${muteMinutes} minutes because of too many messages.`,
    ),
    `flood-mute:${message.event_id}`,
  );
  await deps.report(`flood-mute:${message.event_id}`, {
    de: `${sender} in ${roomId} wegen Flutens bis ${endsAt.toISOString()} stummgeschaltet.`,
    en: `${sender} in ${roomId} muted for flooding until ${endsAt.toISOString()}.`,
  });
  return "restricted";
}

/**
 * Lifts every mute whose time has come: the person's previous level comes
 * back, unless someone already changed it (then the row is just closed).
 * Called at start and on a timer; a repeat finds nothing left to do.
 */
export async function liftDueRestrictions(deps: Omit<FloodDeps, "limiter" | "report">): Promise<number> {
  const due = await deps.db
    .select()
    .from(floodRestrictions)
    .where(and(isNull(floodRestrictions.liftedAt), lte(floodRestrictions.endsAt, new Date(deps.now()))));
  let lifted = 0;
  for (const r of due) {
    const fields = { roomId: r.roomId, userId: r.userId, restrictionId: r.id };
    if (deps.isDryRun) {
      deps.logger.info({ ...fields, dryRun: true }, "policy: would lift a flood mute (dry run)");
      continue;
    }
    const { content } = await powerOf(deps as FloodDeps, r.roomId);
    const users = { ...((content.users ?? {}) as Json) };
    const eventsDefault = levelValue(content.events_default) ?? 0;
    const current = levelValue(users[r.userId]);
    let liftingEventId: string | null = null;
    if (current !== undefined && current < eventsDefault) {
      if (r.previousLevel === null) delete users[r.userId];
      else users[r.userId] = r.previousLevel;
      liftingEventId = await deps.client.sendState(r.roomId, "m.room.power_levels", "", { ...content, users });
    }
    await deps.db.update(floodRestrictions).set({ liftedAt: new Date(deps.now()) }).where(eq(floodRestrictions.id, r.id));
    await deps.db.insert(auditLog).values({
      actor: POLICY_ACTOR,
      action: "policy.flood-lifted",
      subject: r.roomId,
      details: {
        botUserId: deps.client.userId,
        userId: r.userId,
        restrictionId: r.id,
        liftingEventId,
        before: { level: current ?? null },
        after: { level: liftingEventId ? r.previousLevel : (current ?? null) },
      },
    });
    deps.logger.info({ ...fields, liftingEventId }, "flood mute lifted");
    lifted++;
  }
  return lifted;
}
