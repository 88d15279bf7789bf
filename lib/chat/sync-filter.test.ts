import { describe, expect, it } from "vitest";
import { chatSyncFilter } from "./sync-filter";

describe("chat sync filter", () => {
  it("lazy-loads members, limits the first timeline and leaves presence out", () => {
    const f = chatSyncFilter();
    expect(f.room.state.lazy_load_members).toBe(true);
    expect(f.room.timeline).toMatchObject({ limit: 20, lazy_load_members: true });
    expect(f.presence).toEqual({ not_types: ["*"] });
  });

  it("keeps the state the chat needs and every event type it shows", () => {
    const f = chatSyncFilter(5);
    expect(f.room.timeline.limit).toBe(5);
    expect(f.room.state.types).toEqual(expect.arrayContaining(["m.room.member", "m.room.power_levels", "m.room.encryption", "m.room.create"]));
    for (const shown of ["m.room.message", "m.room.encrypted", "m.room.redaction", "m.room.member"]) {
      expect(f.room.timeline.not_types).not.toContain(shown);
    }
  });
});
