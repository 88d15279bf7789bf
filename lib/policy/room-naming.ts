import type { Db } from "../db/client";
import { AppError } from "../errors";
import { currentPolicy } from "./policy-store";
import { roomNameProblem } from "./usage-policy";

/** Room creation refuses a name against the city's naming rule, as a field error on the name. */
export async function assertRoomNameAllowed(db: Db, name: string): Promise<void> {
  const { policy } = await currentPolicy(db);
  const problem = roomNameProblem(policy.roomNaming, name);
  if (problem) throw new AppError("room-name-rule", "invalid", problem.de, { name: problem.de });
}
