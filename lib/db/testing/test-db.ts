import { PGlite } from "@electric-sql/pglite";
import { drizzle } from "drizzle-orm/pglite";
import { migrate } from "drizzle-orm/pglite/migrator";
import { afterAll, beforeAll } from "vitest";
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

/**
 * One test database for the whole test file: created before its first test,
 * closed after its last. Call it at the top level of the file (or a describe).
 */
export function useTestDb(): TestDb {
  let inner: TestDb | undefined;
  beforeAll(async () => {
    inner = await createTestDb();
  }, DB_SETUP_MS);
  afterAll(() => inner?.close());
  return {
    get db() {
      if (!inner) throw new Error("the test database is created in beforeAll; use it inside hooks and tests");
      return inner.db;
    },
    close: async () => inner?.close(),
  };
}
