import { describe, expect, it } from "vitest";
import { managedRoomTemplate } from "./power-levels";
import { applyTemplateChange, changedTemplateKeys } from "./template-change";
import { DEFAULT_POLICY, powerLevelsTemplateFor } from "./usage-policy";

describe("template change", () => {
  const before = powerLevelsTemplateFor(DEFAULT_POLICY);
  const after = powerLevelsTemplateFor({ ...DEFAULT_POLICY, powerLevels: { ...DEFAULT_POLICY.powerLevels, invite: 0, widgets: 100 } });

  it("names only the keys the admins changed", () => {
    expect(Object.fromEntries(changedTemplateKeys(before, after))).toEqual({
      invite: 0,
      "events.im.vector.modular.widgets": 100,
      "events.io.element.widgets.layout": 100,
    });
    expect(changedTemplateKeys(before, before).size).toBe(0);
  });

  it("sets changed keys in a room, lowering too, and leaves users and unchanged keys alone", () => {
    const room = { ...managedRoomTemplate(), kick: 75, users: { "@olga:s": 100 } };
    const { changes, content } = applyTemplateChange(room, changedTemplateKeys(before, after));
    expect(content).toMatchObject({ invite: 0, kick: 75, users: { "@olga:s": 100 } });
    expect((content.events as Record<string, number>)["im.vector.modular.widgets"]).toBe(100);
    expect(changes.map((c) => c.key).sort()).toEqual(["events.im.vector.modular.widgets", "events.io.element.widgets.layout", "invite"]);
  });

  it("changes nothing in a room that already has the new values", () => {
    const room = { ...after, users: {} };
    const result = applyTemplateChange(room, changedTemplateKeys(before, after));
    expect(result.changes).toEqual([]);
    expect(result.content).toBe(room);
  });
});
