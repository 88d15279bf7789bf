import type { Db } from "../db/client";
import { AppError } from "../errors";
import { currentPolicy } from "./policy-store";
import { powerLevelsTemplateFor, roomNameProblem } from "./usage-policy";

/** Room creation refuses a name against the city's naming rule, as a field error on the name. */
export async function assertRoomNameAllowed(db: Db, name: string): Promise<void> {
  const { policy } = await currentPolicy(db);
  const problem = roomNameProblem(policy.roomNaming, name);
  if (problem) throw new AppError("room-name-rule", "invalid", problem.de, { name: problem.de });
}

/**
 * A createRoom body with the power-level template of the policy in force, so
 * a room is created with the city's current levels rather than waiting for
 * the bot to raise them. `users` stays as the body has it. With the default
 * policy the body is unchanged.
 */
export async function withPolicyLevels(db: Db, body: Record<string, unknown>): Promise<Record<string, unknown>> {
  const { policy } = await currentPolicy(db);
  const override = (body.power_level_content_override ?? {}) as Record<string, unknown>;
  const template = powerLevelsTemplateFor(policy);
  const events = { ...(override.events as Record<string, unknown> | undefined), ...(template.events as Record<string, unknown>) };
  return { ...body, power_level_content_override: { ...override, ...template, events, users: override.users } };
}
