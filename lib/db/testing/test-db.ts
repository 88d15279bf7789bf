import { PGlite } from "@electric-sql/pglite";
import { drizzle } from "drizzle-orm/pglite";
import { migrate } from "drizzle-orm/pglite/migrator";
import * as schema from "../../../drizzle/schema";
import { migrationsFolder, type Db } from "../client";

/** Creating PGlite (initdb in WebAssembly) takes seconds, more on a busy machine. */
export const DB_SETUP_MS = 60_000;

export interface TestDb {
  db: Db;
  close(): Promise<void>;
}

/**
 * An in-memory PGlite with the committed migrations applied, for tests of
 * database-backed functions. The query builder is the same as on the pg
 * driver, so it stands in for the portal's `Db`.
 */
export async function createTestDb(): Promise<TestDb> {
  const client = await PGlite.create();
  const db = drizzle(client, { schema });
  await migrate(db, { migrationsFolder });
  return { db: db as unknown as Db, close: () => client.close() };
}
