import type { JoinRuleContent } from "../rooms/join-rule";
import { judgeJoinRules } from "./join-rules";
import { judgePowerLevels, type LevelChange, type PowerLevelsContent } from "./power-levels";
import { judgeWidget, WIDGET_EVENT_TYPES, type WidgetViolation } from "./widgets";

/**
 * Which state of a managed room breaks the usage rules, and what has to be
 * written to restore them. Judges the room's current state, so the same
 * answer comes out however often (or late) a change is looked at.
 */

export interface PolicyStateEvent {
  type: string;
  state_key: string;
  sender: string;
  event_id?: string;
  content: Record<string, unknown>;
}

export interface RoomPolicy {
  powerLevelsTemplate: PowerLevelsContent;
  /** The service's own accounts; state they wrote is the service's doing. */
  isServiceUser: (userId: string) => boolean;
}

export type EnforcementAction = "policy.power-levels-restored" | "policy.join-rule-restored" | "policy.widget-removed";
export type EnforcementReason = "power-levels-below-template" | "join-rule-not-invite" | "join-rule-not-as-created" | WidgetViolation;

export interface Enforcement {
  action: EnforcementAction;
  reason: EnforcementReason;
  eventType: string;
  stateKey: string;
  /** The state event that broke the rule, and who wrote it. */
  eventId: string | undefined;
  changedBy: string;
  /** The offending values and what they become (only what changes, for the audit log). */
  before: Record<string, unknown>;
  after: Record<string, unknown>;
  /** The whole content to write. */
  content: Record<string, unknown>;
  levelChanges?: LevelChange[];
}

/** The state types whose changes the policy judges; other events need no look. */
export const POLICED_STATE_TYPES: readonly string[] = ["m.room.power_levels", "m.room.join_rules", ...WIDGET_EVENT_TYPES];

function levelsMap(changes: LevelChange[], pick: "before" | "after"): Record<string, number> {
  return Object.fromEntries(changes.map((c) => [c.key, c[pick]]));
}

/** What one room is meant to be (from the rooms table); absent parts fall back to the policy's defaults. */
export interface RoomIntent {
  joinRule?: JoinRuleContent;
}

function judgeEvent(event: PolicyStateEvent, policy: RoomPolicy, intent: RoomIntent): Enforcement | null {
  const base = { eventType: event.type, stateKey: event.state_key, eventId: event.event_id, changedBy: event.sender };
  if (event.type === "m.room.power_levels" && event.state_key === "") {
    const { changes, corrected } = judgePowerLevels(event.content, policy.powerLevelsTemplate);
    if (changes.length === 0) return null;
    return {
      ...base,
      action: "policy.power-levels-restored",
      reason: "power-levels-below-template",
      before: levelsMap(changes, "before"),
      after: levelsMap(changes, "after"),
      content: corrected,
      levelChanges: changes,
    };
  }
  if (event.type === "m.room.join_rules" && event.state_key === "") {
    const verdict = judgeJoinRules(event.content, intent.joinRule);
    if (!verdict) return null;
    return {
      ...base,
      action: "policy.join-rule-restored",
      reason: verdict.corrected.join_rule === "invite" ? "join-rule-not-invite" : "join-rule-not-as-created",
      before: { join_rule: verdict.before },
      after: verdict.corrected,
      content: verdict.corrected,
    };
  }
  if (WIDGET_EVENT_TYPES.includes(event.type)) {
    const violation = judgeWidget(event, policy.isServiceUser);
    if (!violation) return null;
    const { type, url, name } = event.content;
    return { ...base, action: "policy.widget-removed", reason: violation, before: { type, url, name }, after: {}, content: {} };
  }
  return null;
}

/** Every enforcement the room's current state calls for, in state order. */
export function judgeRoomState(state: readonly PolicyStateEvent[], policy: RoomPolicy, intent: RoomIntent = {}): Enforcement[] {
  return state.map((event) => judgeEvent(event, policy, intent)).filter((e): e is Enforcement => e !== null);
}
