import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { botOutbox } from "../../drizzle/schema";
import type { Db } from "../../lib/db/client";
import { createOutbox, txnIdFor } from "./outbox";
import { createTestDb, DB_SETUP_MS } from "../../lib/db/testing/test-db";

let db: Db;
let close: () => Promise<void>;
beforeAll(async () => {
  ({ db, close } = await createTestDb());
}, DB_SETUP_MS);
afterAll(() => close());
beforeEach(async () => {
  await db.delete(botOutbox);
});

const BOT = "@_stadtfunk_bot:s.test";

/** A homeserver that, like Synapse, answers a repeated transaction id with the first event. */
function fakeClient(opts: { failFirst?: boolean } = {}) {
  const sends: { roomId: string; type: string; txnId: string; content: unknown; storedBefore: boolean }[] = [];
  const events = new Map<string, string>();
  let failures = opts.failFirst ? 1 : 0;
  return {
    sends,
    client: {
      userId: BOT,
      async sendEvent(roomId: string, type: string, txnId: string, content: Record<string, unknown>) {
        const stored = await db.query.botOutbox.findFirst({ where: eq(botOutbox.txnId, txnId) });
        sends.push({ roomId, type, txnId, content, storedBefore: stored !== undefined });
        if (failures-- > 0) throw Object.assign(new Error("timeout"), { name: "TimeoutError" });
        if (!events.has(txnId)) events.set(txnId, `$ev${events.size + 1}`);
        return events.get(txnId)!;
      },
    },
  };
}

describe("outbox", () => {
  it("stores the message with its transaction id before sending it", async () => {
    const { client, sends } = fakeClient();
    const sent = await createOutbox(db).send(client, "!room", { msgtype: "m.notice", body: "Hallo" }, "reply:$cmd");
    expect(sent).toEqual({ eventId: "$ev1", isRepeat: false });
    expect(sends).toEqual([
      { roomId: "!room", type: "m.room.message", txnId: txnIdFor(BOT, "reply:$cmd"), content: { msgtype: "m.notice", body: "Hallo" }, storedBefore: true },
    ]);
    const row = await db.query.botOutbox.findFirst();
    expect(row).toMatchObject({ sender: BOT, roomId: "!room", eventId: "$ev1" });
    expect(row?.sentAt).toBeInstanceOf(Date);
  });

  it("sends a key once, however often it is asked (an event handled twice)", async () => {
    const { client, sends } = fakeClient();
    const outbox = createOutbox(db);
    await outbox.send(client, "!room", { body: "eins" }, "reply:$cmd");
    const again = await outbox.send(client, "!room", { body: "anders berechnet" }, "reply:$cmd");
    expect(again).toEqual({ eventId: "$ev1", isRepeat: true });
    expect(sends).toHaveLength(1);
  });

  it("retries an unconfirmed send with the stored transaction id and the stored content", async () => {
    const { client, sends } = fakeClient({ failFirst: true });
    const outbox = createOutbox(db);
    await expect(outbox.send(client, "!room", { body: "erste Fassung" }, "reply:$x")).rejects.toThrow("timeout");
    const sent = await outbox.send(client, "!room", { body: "zweite Fassung" }, "reply:$x");
    expect(sent.isRepeat).toBe(false);
    expect(sends.map((s) => s.txnId)).toEqual([txnIdFor(BOT, "reply:$x"), txnIdFor(BOT, "reply:$x")]);
    expect(sends[1]?.content).toEqual({ body: "erste Fassung" });
  });

  it("derives distinct, URL-safe transaction ids per sender and key", () => {
    const a = txnIdFor(BOT, "reply:$1");
    expect(a).toMatch(/^sf\.[A-Za-z0-9_-]{40}$/);
    expect(txnIdFor(BOT, "reply:$1")).toBe(a);
    expect(txnIdFor("@_stadtfunk_regeln:s.test", "reply:$1")).not.toBe(a);
    expect(txnIdFor(BOT, "reply:$2")).not.toBe(a);
  });
});
