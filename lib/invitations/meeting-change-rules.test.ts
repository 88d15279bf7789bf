import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rooms, type Person, type Room } from "../../drizzle/schema";
import { createTestDb, DB_SETUP_MS, type TestDb } from "../db/testing/test-db";
import { AppError } from "../errors";
import type { StateEvent } from "../matrix/service-client";
import { insertPerson } from "../people/testing/seed";
import { MEETING_EVENT_TYPE, powerLevels } from "../rooms/room-state";
import { requestMeetingChange } from "./meeting-changes";

/** Who may remove whom, on a test database with the homeserver's room state stubbed. */
describe("removing participants", () => {
  const ROOM = "!r:s";
  let t: TestDb;
  let olga: Person;
  let mod: Person;
  let room: Room;
  const member = (userId: string, membership = "join"): StateEvent => ({ type: "m.room.member", state_key: userId, sender: userId, content: { membership } });
  const levels = { ...powerLevels("@olga:s"), users: { "@olga:s": 100, "@mod:s": 50, "@mod2:s": 50 } };
  const state: StateEvent[] = [
    { type: "m.room.create", state_key: "", sender: "@_stadtfunk_bot:s", content: { room_version: "12" } },
    { type: "m.room.power_levels", state_key: "", sender: "@_stadtfunk_bot:s", content: levels },
    { type: MEETING_EVENT_TYPE, state_key: "", sender: "@_stadtfunk_bot:s", content: { organiser: "@olga:s" } },
    member("@olga:s"),
    member("@mod:s"),
    member("@mod2:s"),
    member("@plain:s", "invite"),
  ];
  const deps = () => ({ db: t.db, service: { getState: async () => state } });

  beforeAll(async () => {
    t = await createTestDb();
    olga = await insertPerson(t.db, { subject: "o", displayName: "Olga", matrixUserId: "@olga:s" });
    mod = await insertPerson(t.db, { subject: "m", displayName: "Moritz", matrixUserId: "@mod:s" });
    [room] = (await t.db
      .insert(rooms)
      .values({ matrixRoomId: ROOM, kind: "team", name: "AG", organiserId: olga.id, access: "invited", conferenceId: "c", widgetId: "w", idempotencyKey: "k", status: "active" })
      .returning()) as [Room];
  }, DB_SETUP_MS);
  afterAll(() => t?.close());

  it("refuses a moderator removing someone with the same power, and the organiser", async () => {
    for (const [target, status] of [["@mod2:s", 403], ["@olga:s", 400]] as const) {
      const err = await requestMeetingChange(deps(), { person: mod, matrixUserId: "@mod:s" }, ROOM, { kind: "remove", userIds: [target] }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).status).toBe(status);
    }
  });

  it("lets a moderator remove an invited person, with the meeting's next calendar sequence", async () => {
    const job = await requestMeetingChange(deps(), { person: mod, matrixUserId: "@mod:s" }, ROOM, { kind: "remove", userIds: ["@plain:s"] });
    expect(job).toMatchObject({ roomId: room.id, kind: "remove", sequence: 1, payload: { userIds: ["@plain:s"] } });
    const next = await requestMeetingChange(deps(), { person: olga, matrixUserId: "@olga:s" }, ROOM, { kind: "remove", userIds: ["@mod2:s"] });
    expect(next.sequence).toBe(2);
  });
});
