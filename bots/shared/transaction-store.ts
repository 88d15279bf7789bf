import { and, eq, isNotNull, isNull, lt } from "drizzle-orm";
import type { IAppserviceStorageProvider } from "matrix-bot-sdk";
import { appserviceTransactions, botOutbox } from "../../drizzle/schema";
import type { Db } from "../../lib/db/client";
import type { Logger } from "../../lib/log";

export interface TransactionStoreDeps {
  db: Db;
  logger: Logger;
  /**
   * Awaited before a transaction is marked completed (and so before the
   * homeserver gets its 200): the handlers' work for its events.
   */
  awaitEffects: () => Promise<void>;
  now?: () => Date;
}

/**
 * matrix-bot-sdk's Appservice asks `isTransactionCompleted` before it emits
 * a transaction's events and calls `setTransactionCompleted` before it
 * answers 200. Backed by the portal database, so a transaction delivered
 * again (a timeout, a crash before the answer, a restart) has its effects
 * once. Registered users stay in memory: registering again is harmless.
 */
export class DatabaseAppserviceStorage implements IAppserviceStorageProvider {
  private readonly registeredUsers = new Set<string>();
  private readonly now: () => Date;

  constructor(private readonly deps: TransactionStoreDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  addRegisteredUser(userId: string): void {
    this.registeredUsers.add(userId);
  }

  isUserRegistered(userId: string): boolean {
    return this.registeredUsers.has(userId);
  }

  /** Records the transaction's receipt durably, then says whether it was completed before. */
  async isTransactionCompleted(txnId: string): Promise<boolean> {
    const { db, logger } = this.deps;
    try {
      const [inserted] = await db
        .insert(appserviceTransactions)
        .values({ txnId, receivedAt: this.now() })
        .onConflictDoNothing()
        .returning({ txnId: appserviceTransactions.txnId });
      if (inserted) return false;
      const row = await db.query.appserviceTransactions.findFirst({ where: eq(appserviceTransactions.txnId, txnId) });
      if (row?.completedAt) {
        logger.info({ txnId }, "transaction delivered again: already completed, acknowledged without effect");
        return true;
      }
      logger.info({ txnId }, "transaction delivered again before it was completed: processing it again");
      return false;
    } catch (err) {
      // The SDK does not catch here. Processing goes on; completion then fails and the homeserver retries.
      logger.error({ err, txnId }, "could not record transaction");
      return false;
    }
  }

  /** Waits for the handlers' effects, then marks the transaction completed. Throws → the SDK answers 500. */
  async setTransactionCompleted(txnId: string): Promise<void> {
    await this.deps.awaitEffects();
    await this.deps.db
      .update(appserviceTransactions)
      .set({ completedAt: this.now() })
      .where(and(eq(appserviceTransactions.txnId, txnId), isNull(appserviceTransactions.completedAt)));
  }
}

/**
 * Forgets completed transactions and sent messages older than `before`.
 * By then every event they carried is too old to be acted on anyway, and
 * the homeserver's own transaction-id memory is long gone.
 */
export async function pruneBotJournal(db: Db, before: Date): Promise<{ transactions: number; messages: number }> {
  const transactions = await db
    .delete(appserviceTransactions)
    .where(and(isNotNull(appserviceTransactions.completedAt), lt(appserviceTransactions.receivedAt, before)))
    .returning({ id: appserviceTransactions.txnId });
  const messages = await db
    .delete(botOutbox)
    .where(and(isNotNull(botOutbox.sentAt), lt(botOutbox.createdAt, before)))
    .returning({ id: botOutbox.txnId });
  return { transactions: transactions.length, messages: messages.length };
}
