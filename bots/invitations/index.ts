import type { Logger } from "../../lib/log";
import { deliverDueMails, type SendMail } from "../../lib/mail/mail-outbox";
import type { EventSource } from "../shared/command-listener";
import { checkRoomEvent, type EventFilterContext } from "../shared/event-filters";
import type { ManagedRooms } from "../shared/managed-rooms";
import type { Schedule } from "../shared/work-queue";
import { queueCreationMails } from "./creation-mails";
import { handleDecline, isOwnLeave, type DeclineDeps } from "./declines";
import { queueMailForInvite } from "./invite-mails";
import { INVITATION_JOURNAL_RETENTION_MS, pruneInvitationJournal } from "./journal";
import { runDueInvitationJobs, type JobDeps } from "./process-job";

export interface InvitationsBotDeps {
  events: EventSource;
  jobs: JobDeps;
  declines: DeclineDeps;
  managedRooms: Pick<ManagedRooms, "isManaged">;
  /** Null without SMTP: nothing is queued, nothing sent. */
  mail: { send: SendMail; from: string; messageIdDomain: string } | null;
  filter: Omit<EventFilterContext, "now">;
  logger: Logger;
  schedule: Schedule;
  /** How often the job and mail tables are looked at. */
  pollMs?: number;
  /** Rooms whose jobs run side by side. */
  concurrency?: number;
  now?: () => number;
}

export interface InvitationsBot {
  /** Runs due jobs and mails now (after a portal change, or in tests); resolves when this pass is done. */
  runNow(): Promise<void>;
  stop(): Promise<void>;
}

export const DEFAULT_INVITATION_POLL_MS = 250;
const PRUNE_EVERY_MS = 60 * 60_000;

/**
 * The invitations bot: carries out the organisers' changes from the portal
 * (invitation_jobs), sends invitation mails (invitation_mails) and reports
 * declined invitations to the organiser. It acts as the service's main bot,
 * the rooms' creator, which alone holds the power to invite, kick and write
 * the meeting's state in every managed room.
 */
export function start(deps: InvitationsBotDeps): InvitationsBot {
  const logger = deps.logger.child({ bot: "invitations" });
  const now = deps.now ?? Date.now;
  const jobs = { ...deps.jobs, logger };

  let running: Promise<void> | null = null;
  let again = false;
  /** Whether the last pass found work: then the next one follows at once, so a burst drains without polling pauses. */
  let wasBusy = false;
  let prunedAt = 0;
  async function pass(): Promise<number> {
    if (now() - prunedAt > PRUNE_EVERY_MS) {
      prunedAt = now();
      const pruned = await pruneInvitationJournal(deps.jobs.db, new Date(now() - INVITATION_JOURNAL_RETENTION_MS));
      logger.debug(pruned, "invitation journal pruned");
    }
    let done = await runDueInvitationJobs(jobs, { concurrency: deps.concurrency });
    if (!deps.mail) return done;
    done += await queueCreationMails({ db: deps.jobs.db, site: deps.jobs.site, logger }, new Date(now()));
    done += await deliverDueMails({ db: deps.jobs.db, logger, ...deps.mail });
    return done;
  }
  function runNow(): Promise<void> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        wasBusy = (await pass().catch((err: unknown) => logger.error({ err }, "invitation pass failed"))) ? true : false;
      } while (again);
    })().finally(() => {
      running = null;
    });
    return running;
  }

  let isStopped = false;
  let timer: NodeJS.Timeout | undefined;
  const tick = () => {
    if (isStopped) return;
    void runNow().finally(() => {
      if (!isStopped) timer = setTimeout(tick, wasBusy ? 0 : (deps.pollMs ?? DEFAULT_INVITATION_POLL_MS));
    });
  };
  tick();

  const onEvent = (roomId: string, raw: unknown): void => {
    if (deps.mail) onInvite(roomId, raw);
    const checked = checkRoomEvent(raw, { ...deps.filter, now: now() });
    if (!checked.ok || !isOwnLeave(checked.event as typeof checked.event & { state_key?: unknown })) return;
    const event = checked.event;
    deps.schedule(roomId, async () => {
      if (!(await deps.managedRooms.isManaged(roomId))) return;
      await handleDecline({ ...deps.declines, logger }, event).catch((err: unknown) => {
        logger.error({ err, errorId: event.event_id }, "declined invitation not reported");
      });
    });
  };
  // Invitations are mailed whoever sent them, the service's own bot included.
  const onInvite = (roomId: string, raw: unknown): void => {
    const checked = checkRoomEvent(raw, { ...deps.filter, isOwnUser: () => false, now: now() });
    if (!checked.ok || checked.event.type !== "m.room.member" || checked.event.content.membership !== "invite") return;
    const event = checked.event;
    deps.schedule(roomId, async () => {
      const site = deps.jobs.site;
      await queueMailForInvite({ db: deps.jobs.db, site, logger, now: new Date(now()) }, event).catch((err: unknown) => {
        logger.error({ err, errorId: event.event_id }, "invitation mail not queued");
      });
    });
  };
  deps.events.on("room.event", onEvent);

  return {
    runNow,
    async stop() {
      isStopped = true;
      if (timer) clearTimeout(timer);
      deps.events.off("room.event", onEvent);
      await running;
    },
  };
}
