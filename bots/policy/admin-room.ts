import { and, count, desc, eq, isNull } from "drizzle-orm";
import { appserviceTransactions, botOutbox, people } from "../../drizzle/schema";
import { botSettings, floodRestrictions } from "../../drizzle/tables/policy";
import type { Db } from "../../lib/db/client";
import type { Logger } from "../../lib/log";
import { managedRoomTemplate } from "../../lib/policy/power-levels";
import type { PolicyVersion } from "../../lib/policy/policy-store";
import { ROOM_VERSION } from "../../lib/rooms/room-state";
import type { EventSource } from "../shared/command-listener";
import { parseCommand } from "../shared/command-parser";
import { checkTextMessage, type EventFilterContext } from "../shared/event-filters";
import type { BotClient } from "../shared/homeserver";
import type { Outbox } from "../shared/outbox";
import { buildNotice, buildNoticeReply, escapeHtml, replyKey } from "../shared/replies";
import type { Schedule } from "../shared/work-queue";
import type { AdminReport, ReportToAdmins } from "./admin-report";
import { policySummary } from "./policy-summary";

/**
 * The admins' room in Matrix: created once by the service, invitation-only,
 * with every portal admin invited. The bots report enforcements there, and
 * admins ask `!status` and `!richtlinie` / `!policy`. Only portal admins (role
 * in the database, not disabled) get answers; others are told why not.
 */

const SETTING_KEY = "admin-room";
export const ADMIN_ROOM_NAME = "Stadtfunk Administration";

type Client = Pick<BotClient, "userId" | "createRoom" | "invite" | "getState" | "sendEvent">;

/** Matrix ids of the enabled portal admins who have a Matrix account. */
async function adminUserIds(db: Db): Promise<string[]> {
  const rows = await db
    .select({ matrixUserId: people.matrixUserId })
    .from(people)
    .where(and(eq(people.role, "admin"), isNull(people.disabledAt)));
  return rows.map((r) => r.matrixUserId).filter((id): id is string => id !== null);
}

export async function isPortalAdmin(db: Db, userId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: people.id })
    .from(people)
    .where(and(eq(people.matrixUserId, userId), eq(people.role, "admin"), isNull(people.disabledAt)))
    .limit(1);
  return row !== undefined;
}

export async function storedAdminRoom(db: Db): Promise<string | null> {
  const [row] = await db.select().from(botSettings).where(eq(botSettings.key, SETTING_KEY));
  return row?.value ?? null;
}

/**
 * Creates the admin room on first start and invites admins who are not in it
 * yet (new admins get their invitation at the next start). A crash between
 * creating and storing leaves an orphan room at worst, never two stored ones.
 */
export async function ensureAdminRoom(db: Db, client: Client, logger: Logger): Promise<string> {
  const admins = await adminUserIds(db);
  let roomId = await storedAdminRoom(db);
  if (!roomId) {
    roomId = await client.createRoom({
      room_version: ROOM_VERSION,
      preset: "private_chat",
      name: ADMIN_ROOM_NAME,
      topic: "Berichte der Stadtfunk-Bots und Befehle !status, !richtlinie / Reports of the Stadtfunk bots; commands !status, !policy",
      invite: admins,
      // The managed-room template: members read and write, only the service changes the room.
      power_level_content_override: { ...managedRoomTemplate(), users: {} },
      initial_state: [
        { type: "m.room.history_visibility", state_key: "", content: { history_visibility: "shared" } },
        { type: "m.room.guest_access", state_key: "", content: { guest_access: "forbidden" } },
      ],
    });
    const [stored] = await db
      .insert(botSettings)
      .values({ key: SETTING_KEY, value: roomId })
      .onConflictDoNothing()
      .returning();
    if (!stored) roomId = (await storedAdminRoom(db)) ?? roomId;
    logger.info({ roomId, admins: admins.length }, "admin room created");
    return roomId;
  }
  const members = new Set(
    (await client.getState(roomId))
      .filter((e) => e.type === "m.room.member" && ["join", "invite"].includes(String(e.content.membership)))
      .map((e) => e.state_key),
  );
  for (const admin of admins) {
    if (members.has(admin)) continue;
    await client.invite(roomId, admin);
    logger.info({ roomId, admin }, "admin invited to the admin room");
  }
  return roomId;
}

function texts(report: AdminReport) {
  return { body: `${report.de}\n${report.en}`, html: `${escapeHtml(report.de)}<br>${escapeHtml(report.en)}` };
}

/** Posts reports into the admin room through the outbox (one message per key). */
export function adminReporter(db: Db, client: Pick<BotClient, "userId" | "sendEvent">, outbox: Outbox, logger: Logger): ReportToAdmins {
  let roomId: string | null = null;
  return async (key, report) => {
    roomId ??= await storedAdminRoom(db);
    if (!roomId) return;
    const { body, html } = texts(report);
    try {
      await outbox.send(client, roomId, buildNotice(body, html), `admin-report:${key}`);
    } catch (err) {
      // A report that cannot be posted must not undo the enforcement it reports; the audit log has it.
      logger.warn({ err, key }, "admin report not posted");
    }
  };
}

export interface StatusSources {
  db: Db;
  startedAt: number;
  isDryRun: boolean;
  activeRooms: () => number;
  currentPolicy: () => Promise<PolicyVersion>;
}

export async function statusReport(s: StatusSources): Promise<AdminReport> {
  const [[unsent], [open], last, [mutes], policy] = await Promise.all([
    s.db.select({ n: count() }).from(botOutbox).where(isNull(botOutbox.sentAt)),
    s.db.select({ n: count() }).from(appserviceTransactions).where(isNull(appserviceTransactions.completedAt)),
    s.db.select().from(appserviceTransactions).orderBy(desc(appserviceTransactions.receivedAt)).limit(3),
    s.db.select({ n: count() }).from(floodRestrictions).where(isNull(floodRestrictions.liftedAt)),
    s.currentPolicy(),
  ]);
  const since = new Date(s.startedAt).toISOString();
  const txns = last.map((t) => `${t.txnId} (${t.receivedAt.toISOString()}${t.completedAt ? "" : ", offen/open"})`).join("; ") || "–";
  const dry = s.isDryRun ? " Dry-Run: Durchsetzung nur protokolliert." : "";
  const dryEn = s.isDryRun ? " Dry run: enforcement is only logged." : "";
  return {
    de: `Status: Bots laufen seit ${since}.${dry} Warteschlange: ${s.activeRooms()} Räume in Arbeit, ${unsent?.n ?? 0} Nachrichten im Ausgang, ${open?.n ?? 0} Transaktionen offen. Letzte Transaktionen: ${txns}. Richtlinie: Version ${policy.version}. Aktive Stummschaltungen: ${mutes?.n ?? 0}.`,
    en: `Status: bots running since ${since}.${dryEn} Queues: ${s.activeRooms()} rooms at work, ${unsent?.n ?? 0} messages in the outbox, ${open?.n ?? 0} transactions open. Last transactions: ${txns}. Policy: version ${policy.version}. Active mutes: ${mutes?.n ?? 0}.`,
  };
}

const HELP: AdminReport = {
  de: "Befehle im Administrationsraum: !status (Zustand der Bots), !richtlinie (geltende Nutzungsrichtlinie), !hilfe.",
  en: "Commands in the admin room: !status (state of the bots), !policy (the usage policy in force), !help.",
};
const REFUSED: AdminReport = {
  de: "Nur Administratorinnen und Administratoren von Stadtfunk können hier Befehle verwenden.",
  en: "Only Stadtfunk administrators can use commands here.",
};

export interface AdminCommandDeps extends StatusSources {
  events: EventSource;
  client: Pick<BotClient, "userId" | "sendEvent">;
  outbox: Outbox;
  adminRoomId: () => Promise<string | null>;
  filter: Omit<EventFilterContext, "now">;
  schedule: Schedule;
  logger: Logger;
  now: () => number;
}

/** Answers commands in the admin room; every other room is left to the other bots. */
export function listenForAdminCommands(deps: AdminCommandDeps): () => void {
  const logger = deps.logger.child({ bot: "admin-room" });

  async function handle(raw: unknown): Promise<void> {
    const checked = checkTextMessage(raw, { ...deps.filter, now: deps.now() });
    if (!checked.ok) return;
    const { event } = checked;
    const command = parseCommand(event.content.body);
    if (!command) return;
    if (event.room_id !== (await deps.adminRoomId())) return;
    let answer: AdminReport;
    if (!(await isPortalAdmin(deps.db, event.sender))) {
      answer = REFUSED;
      logger.info({ eventId: event.event_id, command: command.name }, "admin command refused: not an admin");
    } else if (command.name === "status" && command.args.length === 0) {
      answer = await statusReport(deps);
    } else if (["richtlinie", "policy"].includes(command.name) && command.args.length === 0) {
      answer = policySummary(await deps.currentPolicy());
    } else {
      answer = HELP;
    }
    logger.info({ eventId: event.event_id, command: command.name }, "admin command answered");
    const { body, html } = texts(answer);
    await deps.outbox.send(deps.client, event.room_id, buildNoticeReply(event.event_id, body, html), replyKey(event.event_id));
  }

  const onMessage = (roomId: string, raw: unknown): void => {
    deps.schedule(roomId, () =>
      handle(raw).catch((err: unknown) => logger.error({ err, errorId: (raw as { event_id?: unknown }).event_id }, "admin command failed")),
    );
  };
  deps.events.on("room.message", onMessage);
  return () => deps.events.off("room.message", onMessage);
}
