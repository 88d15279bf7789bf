import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb, pingDb, runMigrations, type DbHandle } from "../../lib/db/client";
import { startEmbeddedDb, type EmbeddedDb } from "../../lib/db/embedded-server";
import { freePort } from "../../scripts/stack/ports";
import { startTestPostgres, type TestPostgres } from "../setup/postgres";

const columnsQuery = `
  select table_name, column_name, data_type, is_nullable
  from information_schema.columns
  where table_schema = 'public'
  order by table_name, column_name`;

async function schemaOf(h: DbHandle) {
  return (await h.pool.query(columnsQuery)).rows;
}

describe("database: the same migrations on PGlite and PostgreSQL", () => {
  let pg: TestPostgres;
  let embedded: EmbeddedDb;
  let pgliteDir: string;

  beforeAll(async () => {
    pgliteDir = fs.mkdtempSync(path.join(os.tmpdir(), "stadtfunk-pglite-"));
    [pg, embedded] = await Promise.all([
      startTestPostgres(),
      freePort().then((port) => startEmbeddedDb({ dir: path.join(pgliteDir, "db"), port })),
    ]);
  });

  afterAll(async () => {
    await Promise.all([pg?.stop(), embedded?.stop()]);
    fs.rmSync(pgliteDir, { recursive: true, force: true });
  });

  it("migrates both to the identical schema", async () => {
    const a = openDb(pg.url);
    const b = openDb(embedded.url);
    try {
      await runMigrations(a);
      await runMigrations(b);
      const [sa, sb] = await Promise.all([schemaOf(a), schemaOf(b)]);
      expect(sa.length).toBeGreaterThan(0);
      expect(sb).toEqual(sa);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it("lets two processes' pools share the embedded database", async () => {
    const portal = openDb(embedded.url);
    const bots = openDb(embedded.url);
    try {
      await Promise.all([pingDb(portal), pingDb(bots)]);
      await portal.pool.query("insert into audit_log (actor, action) values ('test', 'shared-db-check')");
      const { rows } = await bots.pool.query("select count(*)::int as n from audit_log where action = 'shared-db-check'");
      expect(rows[0].n).toBe(1);
    } finally {
      await Promise.all([portal.close(), bots.close()]);
    }
  });

  it("serialises migrations started by several processes at once (real PostgreSQL)", async () => {
    const fresh = await startTestPostgres();
    const handles = Array.from({ length: 4 }, () => openDb(fresh.url, { max: 2 }));
    try {
      await Promise.all(handles.map((h) => runMigrations(h)));
      const { rows } = await handles[0]!.pool.query("select count(*)::int as n from drizzle.__drizzle_migrations");
      expect(rows[0].n).toBe(fs.readdirSync(path.resolve("drizzle/migrations")).filter((f) => f.endsWith(".sql")).length);
    } finally {
      await Promise.all(handles.map((h) => h.close()));
      await fresh.stop();
    }
  });
});
