import { eq } from "drizzle-orm";
import { auditLog } from "../../drizzle/schema";
import { botSettings } from "../../drizzle/tables/policy";
import type { Db } from "../../lib/db/client";
import type { Logger } from "../../lib/log";
import { readPolicyVersion, type PolicyVersion } from "../../lib/policy/policy-store";
import { applyTemplateChange, changedTemplateKeys } from "../../lib/policy/template-change";
import { powerLevelsTemplateFor } from "../../lib/policy/usage-policy";
import type { BotClient } from "../shared/homeserver";
import type { ManagedRooms } from "../shared/managed-rooms";
import type { RoomWorkQueue } from "../shared/work-queue";
import type { ReportToAdmins } from "./admin-report";
import { POLICY_ACTOR } from "./enforce-room-policy";

/**
 * Brings a new power-level template into every managed room. The version
 * last rolled out is stored, so a change saved while the bots were down is
 * rolled out at the next start, and a rolled-out version is never redone.
 */

const SETTING_KEY = "policy-applied-version";

export interface RolloutDeps {
  db: Db;
  client: Pick<BotClient, "userId" | "getState" | "sendState">;
  managedRooms: Pick<ManagedRooms, "listActive">;
  queue: Pick<RoomWorkQueue, "run">;
  isDryRun: boolean;
  logger: Logger;
  report: ReportToAdmins;
}

async function appliedVersion(db: Db): Promise<number> {
  const [row] = await db.select().from(botSettings).where(eq(botSettings.key, SETTING_KEY));
  return row ? Number(row.value) : 0;
}

/** Rolls out `current` if it is newer than what was rolled out. Returns the number of rooms changed. */
export async function rollOutTemplate(deps: RolloutDeps, current: PolicyVersion): Promise<number> {
  const applied = await appliedVersion(deps.db);
  if (applied === current.version) return 0;
  const previous = (await readPolicyVersion(deps.db, applied)) ?? current;
  const changed = changedTemplateKeys(powerLevelsTemplateFor(previous.policy), powerLevelsTemplateFor(current.policy));
  const logger = deps.logger.child({ policyVersion: current.version, previousVersion: applied });
  if (deps.isDryRun) {
    logger.info({ keys: [...changed.keys()], dryRun: true }, "policy: would roll out the power-level template (dry run)");
    return 0;
  }
  let changedRooms = 0;
  let failedRooms = 0;
  if (changed.size > 0) {
    for (const roomId of await deps.managedRooms.listActive()) {
      await deps.queue.run(
        roomId,
        async () => {
         try {
          const state = await deps.client.getState(roomId);
          const levels = state.find((e) => e.type === "m.room.power_levels" && e.state_key === "");
          if (!levels) return;
          const { changes, content } = applyTemplateChange(levels.content, changed);
          if (changes.length === 0) return;
          const eventId = await deps.client.sendState(roomId, "m.room.power_levels", "", content);
          await deps.db.insert(auditLog).values({
            actor: POLICY_ACTOR,
            action: "policy.template-applied",
            subject: roomId,
            details: {
              botUserId: deps.client.userId,
              policyVersion: current.version,
              restoringEventId: eventId,
              before: Object.fromEntries(changes.map((c) => [c.key, c.before])),
              after: Object.fromEntries(changes.map((c) => [c.key, c.after])),
            },
          });
          changedRooms++;
         } catch (err) {
          failedRooms++;
          logger.error({ err, roomId }, "power-level template not rolled out to a room");
         }
        },
        { tracked: false },
      );
    }
  }
  // Stored only when every room has it; otherwise the next check tries again.
  if (failedRooms > 0) return changedRooms;
  await deps.db
    .insert(botSettings)
    .values({ key: SETTING_KEY, value: String(current.version) })
    .onConflictDoUpdate({ target: botSettings.key, set: { value: String(current.version), updatedAt: new Date() } });
  logger.info({ keys: [...changed.keys()], rooms: changedRooms }, "power-level template rolled out");
  await deps.report(`policy-version:${current.version}`, {
    de: `Nutzungsrichtlinie Version ${current.version} gilt; Berechtigungen in ${changedRooms} Räumen angepasst.`,
    en: `Usage policy version ${current.version} is in force; power levels adjusted in ${changedRooms} rooms.`,
  });
  return changedRooms;
}
