import { EventEmitter } from "node:events";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rooms } from "../../drizzle/schema";
import { createTestDb, DB_SETUP_MS, type TestDb } from "../../lib/db/testing/test-db";
import type { FederationRoomClient } from "../../lib/federation/acl-sync";
import { announceRoomClosed } from "../../lib/federation/announce-room-closed";
import { changePartnerStatus, createPartner } from "../../lib/federation/partners";
import { setRoomPartners } from "../../lib/federation/room-partners";
import { createLogger } from "../../lib/log";
import type { StateEvent } from "../../lib/matrix/service-client";
import { insertPerson } from "../../lib/people/testing/seed";
import { RoomWorkQueue } from "../shared/work-queue";
import { startFederationKeeper } from "./federation-acl";

const ROOM = "!room:city.test";
const BOT = "@_stadtfunk_bot:city.test";

/** A stubbed homeserver room: state, and every write in order. */
function fakeRoom(members: string[]) {
  const calls: string[] = [];
  let acl: Record<string, unknown> = { allow: ["city.test"], deny: [], allow_ip_literals: false };
  const membership = new Map(members.map((m) => [m, "join"]));
  const client: FederationRoomClient = {
    userId: BOT,
    async getState(): Promise<StateEvent[]> {
      return [
        { type: "m.room.server_acl", state_key: "", sender: BOT, content: acl },
        ...[...membership].map(([userId, m]) => ({ type: "m.room.member", state_key: userId, sender: userId, content: { membership: m } })),
      ];
    },
    async sendState(_roomId, type, _key, content) {
      calls.push(`state ${type} ${JSON.stringify(content)}`);
      acl = content;
      return "$acl";
    },
    async kick(_roomId, userId) {
      calls.push(`kick ${userId}`);
      membership.set(userId, "leave");
    },
  };
  return { client, calls, setAcl: (c: Record<string, unknown>) => (acl = c) };
}

let t: TestDb;
let adminId: string;
beforeAll(async () => {
  t = await createTestDb();
  adminId = (await insertPerson(t.db, { subject: "a", displayName: "Admin", role: "admin" })).id;
}, DB_SETUP_MS);
afterAll(() => t?.close());

describe("the policy bot's federation keeper", () => {
  it("re-applies the exact ACL when someone edits it, removes users of other servers first, and follows a suspension", async () => {
    const partner = await createPartner(t.db, adminId, { name: "Stadtwerke", contact: "", servers: "company.test" }, "city.test");
    if (!partner.ok) throw new Error("no partner");
    await changePartnerStatus(t.db, adminId, partner.partner.id, "approved");
    const [room] = await t.db
      .insert(rooms)
      .values({ matrixRoomId: ROOM, kind: "team", name: "R", organiserId: adminId, access: "invited", conferenceId: "c", widgetId: "w", idempotencyKey: "k", status: "active" })
      .returning();
    await setRoomPartners(t.db, { room: room!, partnerIds: [partner.partner.id], actor: "test" });

    const hs = fakeRoom(["@anna:city.test", "@paula:company.test", "@eve:other.test"]);
    const events = new EventEmitter();
    const queue = new RoomWorkQueue((err) => {
      throw err;
    });
    const keeper = startFederationKeeper({
      events,
      db: t.db,
      client: hs.client,
      ownServerName: "city.test",
      managedRooms: { isManaged: async (id) => id === ROOM, listActive: async () => [ROOM] },
      isBotUser: (u) => u === BOT,
      queue,
      logger: createLogger("test", "silent"),
      pollMs: 60_000,
    });
    try {
      // The bot's own ACL write is not looked at again.
      events.emit("room.event", ROOM, { type: "m.room.server_acl", state_key: "", sender: BOT, room_id: ROOM, content: {} });
      await queue.idle();
      expect(hs.calls).toEqual([]);

      hs.setAcl({ allow: ["*"], deny: [], allow_ip_literals: true });
      events.emit("room.event", ROOM, { type: "m.room.server_acl", state_key: "", sender: "@mallory:city.test", room_id: ROOM, content: {} });
      await queue.idle();
      expect(hs.calls).toEqual([
        "kick @eve:other.test",
        `state m.room.server_acl ${JSON.stringify({ allow: ["city.test", "company.test"], deny: [], allow_ip_literals: false })}`,
      ]);

      hs.calls.length = 0;
      await keeper.poll(); // changes recorded before the keeper started belong to the start-up sweep
      await changePartnerStatus(t.db, adminId, partner.partner.id, "suspended");
      await keeper.poll();
      expect(hs.calls).toEqual([
        "kick @paula:company.test",
        `state m.room.server_acl ${JSON.stringify({ allow: ["city.test"], deny: [], allow_ip_literals: false })}`,
      ]);
      hs.calls.length = 0;
      await keeper.sweep();
      expect(hs.calls).toEqual([]);
    } finally {
      keeper.stop();
    }
  });

  it("announces the closing only in rooms opened to partners, under a stable transaction id", async () => {
    const sent: string[] = [];
    const client = { sendEvent: async (roomId: string, _type: string, txnId: string) => (sent.push(`${roomId} ${txnId}`), "$e") };
    expect(await announceRoomClosed(ROOM, { db: t.db, client })).toBe("$e");
    expect(await announceRoomClosed("!local:city.test", { db: t.db, client })).toBeNull();
    expect(sent).toEqual([`${ROOM} room-closed:${ROOM}`]);
  });
});
