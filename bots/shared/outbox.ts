import { createHash } from "node:crypto";
import { eq } from "drizzle-orm";
import { botOutbox } from "../../drizzle/schema";
import type { Db } from "../../lib/db/client";
import type { BotClient } from "./homeserver";

export interface SentMessage {
  eventId: string;
  /** True when this key was sent before and nothing went out now. */
  isRepeat: boolean;
}

/** Sends bot messages under transaction ids stored before the send. */
export interface Outbox {
  /**
   * `key` names the message's purpose, e.g. `reply:$commandEventId`: the
   * same key always yields the same transaction id, so handling an event
   * twice sends its answer once.
   */
  send(client: Pick<BotClient, "userId" | "sendEvent">, roomId: string, content: Record<string, unknown>, key: string): Promise<SentMessage>;
}

/** Transaction ids are scoped per sender, and Synapse keys its cache by path only: the sender goes into the hash. */
export function txnIdFor(senderUserId: string, key: string): string {
  const digest = createHash("sha256").update(`${senderUserId}\u0000${key}`).digest("base64url");
  return `sf.${digest.slice(0, 40)}`;
}

export function createOutbox(db: Db, eventType = "m.room.message"): Outbox {
  return {
    async send(client, roomId, content, key) {
      const txnId = txnIdFor(client.userId, key);
      // One query on the common path: the insert returns the new row; only a repeat reads the stored one.
      const [inserted] = await db
        .insert(botOutbox)
        .values({ txnId, sender: client.userId, roomId, eventType, content })
        .onConflictDoNothing()
        .returning();
      const stored = inserted ?? (await db.query.botOutbox.findFirst({ where: eq(botOutbox.txnId, txnId) }));
      if (!stored) throw new Error(`outbox row ${txnId} vanished`);
      if (stored.sentAt && stored.eventId) return { eventId: stored.eventId, isRepeat: true };
      // What was stored goes out, not what this attempt computed: a repeat is byte for byte the first.
      const eventId = await client.sendEvent(stored.roomId, stored.eventType, txnId, stored.content);
      await db.update(botOutbox).set({ sentAt: new Date(), eventId }).where(eq(botOutbox.txnId, txnId));
      return { eventId, isRepeat: false };
    },
  };
}
