import { PGlite } from "@electric-sql/pglite";
import { drizzle } from "drizzle-orm/pglite";
import { migrate } from "drizzle-orm/pglite/migrator";
import * as schema from "../../drizzle/schema";
import { migrationsFolder, type Db } from "../../lib/db/client";

/** Creating PGlite (initdb in WebAssembly) takes seconds, more on a busy machine. */
export const TEST_DB_SETUP_MS = 60_000;

/**
 * An in-memory PGlite with the committed migrations, for unit tests of the
 * bots' database-backed parts. Same query builder as the pg driver.
 */
export async function createTestDatabase(): Promise<{ db: Db; close(): Promise<void> }> {
  const client = await PGlite.create();
  const db = drizzle(client, { schema });
  await migrate(db, { migrationsFolder });
  return { db: db as unknown as Db, close: () => client.close() };
}
