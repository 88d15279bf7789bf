import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { appserviceTransactions, botOutbox } from "../../drizzle/schema";
import type { Db } from "../../lib/db/client";
import { captureLogger } from "./capture-logger";
import { createTestDb, DB_SETUP_MS } from "../../lib/db/testing/test-db";
import { DatabaseAppserviceStorage, pruneBotJournal } from "./transaction-store";

let db: Db;
let close: () => Promise<void>;
beforeAll(async () => {
  ({ db, close } = await createTestDb());
}, DB_SETUP_MS);
afterAll(() => close());
beforeEach(async () => {
  await db.delete(appserviceTransactions);
  await db.delete(botOutbox);
});

function store(awaitEffects: () => Promise<void> = async () => {}) {
  const { logger, lines } = captureLogger();
  return { storage: new DatabaseAppserviceStorage({ db, logger, awaitEffects }), lines };
}

const rowOf = (txnId: string) => db.query.appserviceTransactions.findFirst({ where: eq(appserviceTransactions.txnId, txnId) });

describe("DatabaseAppserviceStorage", () => {
  it("records a new transaction before processing and completes it only after the effects", async () => {
    const order: string[] = [];
    const { storage } = store(async () => {
      order.push("effects awaited");
    });
    expect(await storage.isTransactionCompleted("41")).toBe(false);
    expect(await rowOf("41")).toMatchObject({ txnId: "41", completedAt: null });
    await storage.setTransactionCompleted("41");
    order.push("completed");
    expect(order).toEqual(["effects awaited", "completed"]);
    expect((await rowOf("41"))?.completedAt).toBeInstanceOf(Date);
  });

  it("says completed for a transaction delivered again, also to a new instance (a restart)", async () => {
    const first = store().storage;
    await first.isTransactionCompleted("42");
    await first.setTransactionCompleted("42");
    const { storage: restarted, lines } = store();
    expect(await restarted.isTransactionCompleted("42")).toBe(true);
    expect(lines).toContainEqual(expect.objectContaining({ txnId: "42", msg: expect.stringContaining("already completed") }));
  });

  it("processes again a transaction that was received but never completed (crash before the answer)", async () => {
    await store().storage.isTransactionCompleted("43");
    const { storage, lines } = store();
    expect(await storage.isTransactionCompleted("43")).toBe(false);
    expect(lines).toContainEqual(expect.objectContaining({ txnId: "43", msg: expect.stringContaining("before it was completed") }));
  });

  it("does not complete when the effects fail, so the SDK answers 500 and the homeserver retries", async () => {
    const { storage } = store(async () => {
      throw new Error("homeserver down");
    });
    await storage.isTransactionCompleted("44");
    await expect(storage.setTransactionCompleted("44")).rejects.toThrow("homeserver down");
    expect((await rowOf("44"))?.completedAt).toBeNull();
  });

  it("keeps registered users in memory", () => {
    const { storage } = store();
    expect(storage.isUserRegistered("@_stadtfunk_bot:s.test")).toBe(false);
    storage.addRegisteredUser("@_stadtfunk_bot:s.test");
    expect(storage.isUserRegistered("@_stadtfunk_bot:s.test")).toBe(true);
  });
});

describe("pruneBotJournal", () => {
  it("forgets old completed transactions and old sent messages, nothing still open", async () => {
    const old = new Date("2026-01-01T00:00:00Z");
    const recent = new Date("2026-03-01T00:00:00Z");
    await db.insert(appserviceTransactions).values([
      { txnId: "old-done", receivedAt: old, completedAt: old },
      { txnId: "old-open", receivedAt: old },
      { txnId: "new-done", receivedAt: recent, completedAt: recent },
    ]);
    const message = { sender: "@b:s", roomId: "!r", eventType: "m.room.message", content: {} };
    await db.insert(botOutbox).values([
      { ...message, txnId: "m-old-sent", createdAt: old, sentAt: old, eventId: "$1" },
      { ...message, txnId: "m-old-unsent", createdAt: old },
      { ...message, txnId: "m-new-sent", createdAt: recent, sentAt: recent, eventId: "$2" },
    ]);
    expect(await pruneBotJournal(db, new Date("2026-02-01T00:00:00Z"))).toEqual({ transactions: 1, messages: 1 });
    const txns = (await db.select().from(appserviceTransactions)).map((r) => r.txnId).sort();
    expect(txns).toEqual(["new-done", "old-open"]);
    const msgs = (await db.select().from(botOutbox)).map((r) => r.txnId).sort();
    expect(msgs).toEqual(["m-new-sent", "m-old-unsent"]);
  });
});
