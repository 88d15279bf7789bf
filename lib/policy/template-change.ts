import { levelValue } from "../matrix/power-levels";
import type { LevelChange, PowerLevelsContent } from "./power-levels";

/**
 * When admins change the power-level template, the keys they changed are set
 * to the new value in every managed room — raised or lowered. Keys the
 * template did not change stay as each room has them (a room may have raised
 * a requirement on its own). Pure.
 */

const TOP_KEYS = ["invite", "kick", "ban", "redact", "state_default", "events_default", "users_default"] as const;

function events(content: PowerLevelsContent): Record<string, unknown> {
  const e = content.events;
  return typeof e === "object" && e !== null ? (e as Record<string, unknown>) : {};
}

/** The keys whose template value changed, with the new value (`events.<type>` for event types). */
export function changedTemplateKeys(before: PowerLevelsContent, after: PowerLevelsContent): Map<string, number> {
  const changed = new Map<string, number>();
  for (const key of TOP_KEYS) {
    const next = levelValue(after[key]);
    if (next !== undefined && next !== levelValue(before[key])) changed.set(key, next);
  }
  for (const [type, value] of Object.entries(events(after))) {
    const next = levelValue(value);
    if (next !== undefined && next !== levelValue(events(before)[type])) changed.set(`events.${type}`, next);
  }
  return changed;
}

/** The room's power levels with the changed template keys applied; `users` untouched. */
export function applyTemplateChange(current: PowerLevelsContent, changed: Map<string, number>): { changes: LevelChange[]; content: PowerLevelsContent } {
  const changes: LevelChange[] = [];
  const content: PowerLevelsContent = { ...current };
  const roomEvents = { ...events(current) };
  const stateDefault = levelValue(current.state_default) ?? 50;
  for (const [key, value] of changed) {
    if (key.startsWith("events.")) {
      const type = key.slice("events.".length);
      const before = levelValue(roomEvents[type]) ?? stateDefault;
      if (before === value && roomEvents[type] !== undefined) continue;
      roomEvents[type] = value;
      if (before !== value) changes.push({ key, before, after: value });
    } else {
      const before = levelValue(current[key]);
      if (before === value) continue;
      content[key] = value;
      changes.push({ key, before: before ?? -1, after: value });
    }
  }
  if (changes.some((c) => c.key.startsWith("events."))) content.events = roomEvents;
  return { changes, content: changes.length > 0 ? content : current };
}
