import { renderToStaticMarkup } from "react-dom/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { rooms, type Person, type Room } from "@/drizzle/schema";
import { invitationDeclines } from "@/drizzle/tables/invitations";
import { createTestDb, DB_SETUP_MS, type TestDb } from "@/lib/db/testing/test-db";
import type { StateEvent } from "@/lib/matrix/service-client";
import { insertPerson } from "@/lib/people/testing/seed";
import { MEETING_EVENT_TYPE, powerLevels } from "@/lib/rooms/room-state";

/** The edit page rendered as the server renders it, on a test database; the homeserver's state stubbed. */

const ROOM = "!meeting:stadtfunk.test";
const state = vi.hoisted(() => ({ db: null as unknown, person: null as unknown, matrixUserId: "", roomState: [] as unknown[] }));
vi.mock("@/lib/portal/runtime", () => ({
  portalRuntime: () => ({
    config: { cityName: "Musterstadt", appservice: { userPrefix: "_stadtfunk_" }, matrix: { serverName: "stadtfunk.test" } },
    db: state.db,
    service: { getState: async () => state.roomState },
  }),
}));
vi.mock("@/lib/auth/current-session", () => ({
  currentSession: async () => (state.person ? { person: state.person, matrixUserId: state.matrixUserId } : null),
}));
vi.mock("../../../_components/page-shell", () => ({ PageShell: ({ children }: { children: unknown }) => children }));
vi.mock("next/navigation", () => ({
  forbidden: () => {
    throw new Error("forbidden");
  },
  notFound: () => {
    throw new Error("not found");
  },
  redirect: (to: string) => {
    throw new Error(`redirect ${to}`);
  },
}));

const { default: EditRoomPage } = await import("./page");

const ev = (type: string, stateKey: string, content: Record<string, unknown>, sender = "@_stadtfunk_bot:stadtfunk.test"): StateEvent => ({
  type,
  state_key: stateKey,
  sender,
  content,
});

let t: TestDb;
let olga: Person;
let carl: Person;
let room: Room;
beforeAll(async () => {
  t = await createTestDb();
  state.db = t.db;
  olga = await insertPerson(t.db, { subject: "o", displayName: "Olga Organisatorin", matrixUserId: "@olga:stadtfunk.test" });
  carl = await insertPerson(t.db, { subject: "c", displayName: "Carl Kollege", matrixUserId: "@carl:stadtfunk.test" });
  [room] = (await t.db
    .insert(rooms)
    .values({
      matrixRoomId: ROOM,
      kind: "meeting",
      name: "Bauausschuss",
      organiserId: olga.id,
      startsAt: new Date("2026-12-01T09:00:00Z"),
      endsAt: new Date("2026-12-01T10:00:00Z"),
      access: "invited",
      conferenceId: "c",
      widgetId: "w",
      idempotencyKey: "k",
      status: "active",
    })
    .returning()) as [Room];
  await t.db.insert(invitationDeclines).values({ roomId: room.id, userId: "@dora:stadtfunk.test", eventId: "$leave", declinedAt: new Date("2026-11-25T10:00:00Z") });
  state.roomState = [
    ev("m.room.create", "", { room_version: "12" }),
    ev("m.room.power_levels", "", powerLevels(olga.matrixUserId!)),
    ev(MEETING_EVENT_TYPE, "", { kind: "meeting", organiser: olga.matrixUserId }),
    ev("m.room.member", olga.matrixUserId!, { membership: "join" }, olga.matrixUserId!),
    ev("m.room.member", carl.matrixUserId!, { membership: "invite" }),
    ev("m.room.member", "@_stadtfunk_bot:stadtfunk.test", { membership: "join" }),
  ];
}, DB_SETUP_MS);
afterAll(() => t?.close());

const render = async () => renderToStaticMarkup(await EditRoomPage({ params: Promise.resolve({ roomId: encodeURIComponent(ROOM) }) }));

describe("/rooms/<id>/bearbeiten", () => {
  it("shows the organiser the details in Berlin time, the participants without the bot, the declines and the cancel form", async () => {
    state.person = olga;
    state.matrixUserId = olga.matrixUserId!;
    const html = await render();
    expect(html).toContain('value="2026-12-01T10:00"');
    expect(html).toContain('value="2026-12-01T11:00"');
    expect(html).toContain("Carl Kollege");
    expect(html).toContain("eingeladen");
    expect(html).not.toContain("_stadtfunk_bot");
    // The organiser cannot be removed: their checkbox is disabled.
    expect(html).toContain(`disabled="" name="userIds" value="@olga:stadtfunk.test"`);
    expect(html).toContain(`<input type="checkbox" name="userIds" value="@carl:stadtfunk.test"/>`);
    expect(html).toContain("@dora:stadtfunk.test – 25.11.2026, 11:00");
    expect(html).toContain("Besprechung absagen");
  });

  it("is forbidden for an invited participant without power, and sends the signed-out home", async () => {
    state.person = carl;
    state.matrixUserId = carl.matrixUserId!;
    await expect(render()).rejects.toThrow("forbidden");
    state.person = null;
    await expect(render()).rejects.toThrow("redirect /");
  });
});
