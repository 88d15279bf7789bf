import type { Logger } from "../../lib/log";
import { FloodLimiter } from "../../lib/policy/flood-limiter";
import { DEFAULT_POLICY_VERSION, type PolicyVersion } from "../../lib/policy/policy-store";
import { POLICED_STATE_TYPES, type RoomPolicy } from "../../lib/policy/room-policy";
import { powerLevelsTemplateFor } from "../../lib/policy/usage-policy";
import type { EventSource } from "../shared/command-listener";
import { checkRoomEvent, type EventFilterContext } from "../shared/event-filters";
import type { ManagedRooms } from "../shared/managed-rooms";
import type { RoomWorkQueue } from "../shared/work-queue";
import { noAdminReports, type ReportToAdmins } from "./admin-report";
import { enforceRoomPolicy, type EnforceDeps } from "./enforce-room-policy";
import { countMessage, liftDueRestrictions, type FloodDeps } from "./flood-protection";
import { enforceRoomName } from "./room-name";
import { rollOutTemplate } from "./template-rollout";
import { checkUpload, type UploadCheckDeps } from "./upload-check";

export interface PolicyBotDeps extends EnforceDeps {
  events: EventSource;
  managedRooms: ManagedRooms;
  /** isOwnUser must be true for the bots only: a guest's state change is judged like anyone's. */
  filter: Omit<EventFilterContext, "now">;
  queue: RoomWorkQueue;
  now?: () => number;
  /** The policy in force (cached). Without it, the code's defaults with `policy`'s template. */
  currentPolicy?: () => Promise<PolicyVersion>;
  /** Uploads are judged by content when given. */
  uploads?: Omit<UploadCheckDeps, "client" | "outbox" | "db" | "isDryRun" | "logger" | "report">;
  report?: ReportToAdmins;
  /** How often a new policy version and due mute lifts are looked for. */
  checkIntervalMs?: number;
}

export interface PolicyBot {
  stop(): void;
  /** Looks at every managed room once (after a start: changes made while the bots were down). */
  sweep(): Promise<void>;
  /** Rolls out a new policy version and lifts due mutes now (also run on a timer). */
  check(): Promise<void>;
}

export const DEFAULT_CHECK_INTERVAL_MS = 5_000;

/**
 * "Stadtfunk Regeln": keeps managed rooms within the usage policy. State
 * changes to power levels, join rules, widgets and the room name are judged
 * against the room's current state; messages are counted for flood
 * protection and uploaded files judged by their bytes. A new policy version
 * is rolled out to every managed room without a restart.
 */
export function start(deps: PolicyBotDeps): PolicyBot {
  const logger = deps.logger.child({ bot: "policy", ...(deps.isDryRun ? { dryRun: true } : {}) });
  const now = deps.now ?? Date.now;
  const report = deps.report ?? noAdminReports;
  const readPolicy = deps.currentPolicy ?? (async () => DEFAULT_POLICY_VERSION);
  const limiter = new FloodLimiter();
  const floodDeps: FloodDeps = { ...deps, limiter, logger, report, now };
  let isStopped = false;

  async function roomPolicy(): Promise<{ version: PolicyVersion; room: RoomPolicy }> {
    const version = await readPolicy();
    const template = deps.currentPolicy ? powerLevelsTemplateFor(version.policy) : deps.policy.powerLevelsTemplate;
    return { version, room: { ...deps.policy, powerLevelsTemplate: template } };
  }

  async function enforce(roomId: string, trigger: string) {
    const { room } = await roomPolicy();
    return enforceRoomPolicy({ ...deps, logger, policy: room }, roomId, trigger);
  }

  async function onStateChange(raw: unknown): Promise<void> {
    const checked = checkRoomEvent(raw, { ...deps.filter, now: now() });
    if (!checked.ok) return;
    const { event } = checked;
    const stateKey = (raw as { state_key?: unknown }).state_key;
    if (typeof stateKey !== "string") return;
    if (event.type === "m.room.name" && stateKey === "") {
      if (!(await deps.managedRooms.isManaged(event.room_id))) return;
      const { version } = await roomPolicy();
      await enforceRoomName({ ...deps, logger, report }, event, version.policy.roomNaming);
      return;
    }
    if (!POLICED_STATE_TYPES.includes(event.type)) return;
    if (!(await deps.managedRooms.isManaged(event.room_id))) return;
    await enforce(event.room_id, event.event_id);
  }

  async function onMessage(raw: unknown): Promise<void> {
    const checked = checkRoomEvent(raw, { ...deps.filter, now: now() });
    if (!checked.ok || checked.event.type !== "m.room.message") return;
    const { event } = checked;
    if (deps.policy.isServiceUser(event.sender)) return;
    if (!(await deps.managedRooms.isManaged(event.room_id))) return;
    const { version } = await roomPolicy();
    if (deps.uploads) {
      const problem = await checkUpload({ ...deps, ...deps.uploads, logger, report }, event, version.policy);
      if (problem) return;
    }
    await countMessage(floodDeps, event, version.policy);
  }

  const guarded = (work: (raw: unknown) => Promise<void>, what: string) => (roomId: string, raw: unknown): void => {
    deps.queue.schedule(roomId, () =>
      work(raw).catch((err: unknown) => {
        const errorId = (raw as { event_id?: unknown } | null)?.event_id;
        logger.error({ err, roomId, errorId }, `policy ${what} failed`);
      }),
    );
  };
  const onEvent = guarded(onStateChange, "enforcement");
  const onRoomMessage = guarded(onMessage, "message check");
  deps.events.on("room.event", onEvent);
  deps.events.on("room.message", onRoomMessage);

  let checking: Promise<void> | null = null;
  async function check(): Promise<void> {
    if (isStopped) return;
    // One check at a time; a timer tick during a long rollout just waits for it.
    checking ??= (async () => {
      try {
        if (deps.currentPolicy) {
          await rollOutTemplate({ ...deps, logger, report }, await deps.currentPolicy());
        }
        await liftDueRestrictions(floodDeps);
      } finally {
        checking = null;
      }
    })();
    return checking;
  }
  const timer = setInterval(() => {
    check().catch((err: unknown) => logger.error({ err }, "policy check failed"));
  }, deps.checkIntervalMs ?? DEFAULT_CHECK_INTERVAL_MS);
  timer.unref();

  async function sweep(): Promise<void> {
    await check().catch((err: unknown) => logger.error({ err }, "policy check failed"));
    const roomIds = await deps.managedRooms.listActive();
    let restored = 0;
    for (const roomId of roomIds) {
      if (isStopped) return;
      await deps.queue.run(
        roomId,
        async () => {
          restored += (await enforce(roomId, "start-up")).length;
        },
        { tracked: false },
      );
    }
    logger.info({ rooms: roomIds.length, enforcements: restored }, "policy sweep of managed rooms done");
  }

  return {
    stop() {
      isStopped = true;
      clearInterval(timer);
      deps.events.off("room.event", onEvent);
      deps.events.off("room.message", onRoomMessage);
    },
    sweep,
    check,
  };
}
