import { describe, expect, it } from "vitest";
import { judgePowerLevels, levelOf, managedRoomTemplate } from "./power-levels";

const ORGANISER = "@olga:stadt.test";
const BOT = "@_stadtfunk_bot:stadt.test";
const template = managedRoomTemplate();

/** The power levels a managed room starts with; v11 rooms list the creating bot, v12 rooms do not. */
function roomLevels(version: "11" | "12", over: Record<string, unknown> = {}): Record<string, unknown> {
  const users: Record<string, number> = version === "12" ? { [ORGANISER]: 100 } : { [ORGANISER]: 100, [BOT]: 100 };
  return { ...structuredClone(template), users, ...over };
}

describe("managedRoomTemplate", () => {
  it("is the room template without anyone's level", () => {
    expect(template).not.toHaveProperty("users");
    expect(template).toMatchObject({ state_default: 50, invite: 50, kick: 50 });
  });
});

describe.each(["11", "12"] as const)("judgePowerLevels on room version %s", (version) => {
  it("accepts the template and promotions", () => {
    const promoted = roomLevels(version);
    (promoted.users as Record<string, number>)["@carl:stadt.test"] = 50;
    expect(judgePowerLevels(roomLevels(version), template).changes).toEqual([]);
    expect(judgePowerLevels(promoted, template).changes).toEqual([]);
  });

  it("accepts stricter requirements", () => {
    const strict = roomLevels(version, { invite: 100, kick: 75, events_default: 10 });
    expect(judgePowerLevels(strict, template).changes).toEqual([]);
  });

  it.each<[string, Record<string, unknown>, { key: string; before: number; after: number }[]]>([
    ["invite lowered", { invite: 0 }, [{ key: "invite", before: 0, after: 50 }]],
    ["state_default lowered", { state_default: 0 }, [{ key: "state_default", before: 0, after: 50 }]],
    ["kick as a numeric string", { kick: "10" }, [{ key: "kick", before: 10, after: 50 }]],
    ["ban left out (spec default 50 is fine)", { ban: undefined }, []],
    ["invite left out (spec default 0)", { invite: undefined }, [{ key: "invite", before: 0, after: 50 }]],
    ["users_default raised", { users_default: 50 }, [{ key: "users_default", before: 50, after: 0 }]],
    ["notifications.room lowered", { notifications: { room: 0 } }, [{ key: "notifications.room", before: 0, after: 50 }]],
  ])("restores %s", (_name, over, expected) => {
    const current = roomLevels(version, over);
    for (const [k, v] of Object.entries(over)) if (v === undefined) delete (current as Record<string, unknown>)[k];
    const { changes, corrected } = judgePowerLevels(current, template);
    expect(changes).toEqual(expected);
    for (const { key, after } of expected) {
      const path = key.split(".");
      const value = path.reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], corrected);
      expect(levelOf(value)).toBe(after);
    }
    expect(corrected.users).toEqual(current.users);
  });

  it("restores a lowered widget requirement and keeps other event types as they are", () => {
    const current = roomLevels(version);
    current.events = { ...(current.events as Record<string, number>), "im.vector.modular.widgets": 0, "m.reaction": 0 };
    const { changes, corrected } = judgePowerLevels(current, template);
    expect(changes).toEqual([{ key: "events.im.vector.modular.widgets", before: 0, after: 50 }]);
    expect(corrected.events).toMatchObject({ "im.vector.modular.widgets": 50, "m.reaction": 0, "m.room.power_levels": 100 });
  });

  it("restores a templated event type that was left out once state_default would let members through", () => {
    const current = roomLevels(version, { state_default: 0 });
    const events = { ...(current.events as Record<string, number>) };
    delete events["m.room.join_rules"];
    current.events = events;
    const { changes, corrected } = judgePowerLevels(current, template);
    expect(changes).toEqual([
      { key: "state_default", before: 0, after: 50 },
      { key: "events.m.room.join_rules", before: 50, after: 100 },
    ]);
    expect(corrected).toMatchObject({ state_default: 50, events: { "m.room.join_rules": 100 } });
  });

  it("keeps several lowered keys together in one correction", () => {
    const current = roomLevels(version, { invite: 0, state_default: 0, kick: 0 });
    const { changes, corrected } = judgePowerLevels(current, template);
    expect(changes.map((c) => c.key)).toEqual(["state_default", "invite", "kick"]);
    expect(corrected).toMatchObject({ invite: 50, state_default: 50, kick: 50, users: current.users });
  });
});
