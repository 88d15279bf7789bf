import { levelValue as levelOf } from "../matrix/power-levels";
import { powerLevels } from "../rooms/room-state";

/**
 * The power-level template is the floor of a managed room: a member may
 * raise a requirement or promote people, never lower a requirement below
 * the template. Pure: the template comes in, the corrected content goes out.
 */

export type PowerLevelsContent = Record<string, unknown>;

/** One requirement that was below the template (or, for users_default, above it). */
export interface LevelChange {
  /** `invite`, `events.im.vector.modular.widgets`, `notifications.room`, ... */
  key: string;
  before: number;
  after: number;
}

export interface PowerLevelsVerdict {
  /** Empty when the content keeps the template. */
  changes: LevelChange[];
  /** The content to write back: the current one with only the changed keys restored; `users` untouched. */
  corrected: PowerLevelsContent;
}

/** Spec defaults for keys an m.room.power_levels event leaves out. */
const SPEC_DEFAULTS = {
  events_default: 0,
  state_default: 50,
  invite: 0,
  kick: 50,
  ban: 50,
  redact: 50,
} as const;
const NOTIFICATION_ROOM_DEFAULT = 50;
const USERS_DEFAULT = 0;

/** A level as the auth rules read it (an integer, or a numeric string before room version 10). */
export { levelOf };

function recordOf(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** The template of managed rooms without its `users` map (who holds which level is not policy). */
export function managedRoomTemplate(): PowerLevelsContent {
  const { users: _organiser, ...template } = powerLevels("@template:invalid");
  return template;
}

/** Compares a room's power levels with the template and says what to restore. */
export function judgePowerLevels(current: PowerLevelsContent, template: PowerLevelsContent): PowerLevelsVerdict {
  const changes: LevelChange[] = [];
  const corrected: PowerLevelsContent = { ...current };

  for (const key of Object.keys(SPEC_DEFAULTS) as (keyof typeof SPEC_DEFAULTS)[]) {
    const floor = levelOf(template[key]);
    if (floor === undefined) continue;
    const before = levelOf(current[key]) ?? SPEC_DEFAULTS[key];
    if (before < floor) {
      changes.push({ key, before, after: floor });
      corrected[key] = floor;
    }
  }

  // users_default works the other way round: raising it hands everyone power.
  const ceiling = levelOf(template.users_default);
  const usersDefault = levelOf(current.users_default) ?? USERS_DEFAULT;
  if (ceiling !== undefined && usersDefault > ceiling) {
    changes.push({ key: "users_default", before: usersDefault, after: ceiling });
    corrected.users_default = ceiling;
  }

  // An event type missing from `events` falls back to state_default (every templated type is a state type).
  const stateDefault = levelOf(corrected.state_default) ?? SPEC_DEFAULTS.state_default;
  const currentEvents = recordOf(current.events);
  const correctedEvents = { ...currentEvents };
  for (const [type, value] of Object.entries(recordOf(template.events))) {
    const floor = levelOf(value);
    if (floor === undefined) continue;
    const before = levelOf(currentEvents[type]) ?? stateDefault;
    if (before < floor) {
      changes.push({ key: `events.${type}`, before, after: floor });
      correctedEvents[type] = floor;
    }
  }
  if (changes.some((c) => c.key.startsWith("events."))) corrected.events = correctedEvents;

  const notificationFloor = levelOf(recordOf(template.notifications).room);
  const notifications = recordOf(current.notifications);
  const roomNotification = levelOf(notifications.room) ?? NOTIFICATION_ROOM_DEFAULT;
  if (notificationFloor !== undefined && roomNotification < notificationFloor) {
    changes.push({ key: "notifications.room", before: roomNotification, after: notificationFloor });
    corrected.notifications = { ...notifications, room: notificationFloor };
  }

  return { changes, corrected: changes.length > 0 ? corrected : current };
}
