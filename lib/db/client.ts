import path from "node:path";
import { drizzle, type NodePgDatabase } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";
import * as schema from "../../drizzle/schema";

export type Db = NodePgDatabase<typeof schema>;

export interface DbHandle {
  db: Db;
  pool: pg.Pool;
  close(): Promise<void>;
}

/**
 * One driver for both backends: PostgreSQL in production, and the embedded
 * PGlite served over the PostgreSQL wire protocol (lib/db/embedded-server.ts).
 */
export function openDb(url: string, opts: { max?: number } = {}): DbHandle {
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.max ?? 5,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
  });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on("error", () => {});
  return { db: drizzle(pool, { schema }), pool, close: () => pool.end() };
}

// Every process starts from the project root (npm scripts guarantee it); bundlers rewrite import.meta.
export const migrationsFolder = path.resolve(process.cwd(), "drizzle/migrations");

/** Arbitrary constant: serialises migrations when portal and bots start at once. */
const MIGRATION_LOCK_ID = 4_711_2026;

/** Applies the committed SQL migrations; safe to call on every start of every process. */
export async function runMigrations(handle: DbHandle): Promise<void> {
  const client = await handle.pool.connect();
  try {
    await client.query("select pg_advisory_lock($1)", [MIGRATION_LOCK_ID]);
    await migrate(drizzle(client, { schema }), { migrationsFolder });
  } finally {
    await client.query("select pg_advisory_unlock($1)", [MIGRATION_LOCK_ID]).catch(() => {});
    client.release();
  }
}

/** Cheap reachability probe for /api/health. */
export async function pingDb(handle: DbHandle): Promise<void> {
  await handle.pool.query("select 1");
}
