import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../scripts/stack/ports";
import { startEmbeddedDb, type EmbeddedDb } from "./embedded-server";

/**
 * The embedded database serves the portal's and the bots' connection pools
 * from one PGlite session. These tests hold it to what PostgreSQL promises
 * a client: a parameterised query runs as sent, whatever other connections
 * do at the same moment, and a transaction sees no other connection's
 * statements.
 */
describe("embedded database server (PGlite over the wire protocol)", () => {
  let dir: string;
  let server: EmbeddedDb;
  let pool: pg.Pool;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "stadtfunk-embedded-"));
    server = await startEmbeddedDb({ dir: path.join(dir, "db"), port: await freePort() });
    pool = new pg.Pool({ connectionString: server.url, max: 20 });
    await pool.query("create table items (id int primary key, owner text not null)");
  }, 60_000);

  afterAll(async () => {
    await pool?.end();
    await server?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("keeps concurrent parameterised queries of different shapes apart", async () => {
    const queries = Array.from({ length: 200 }, (_, i) => {
      // Different parameter counts: one connection's Bind must never meet another's Parse.
      const args = Array.from({ length: 1 + (i % 6) }, (_, k) => i * 10 + k);
      const sql = `select ${args.map((_, k) => `$${k + 1}::int`).join(" + ")} as total`;
      return pool.query(sql, args).then((r) => [Number(r.rows[0].total), args.reduce((a, b) => a + b, 0)]);
    });
    for (const [got, want] of await Promise.all(queries)) expect(got).toBe(want);
  }, 60_000);

  it("runs a transaction without other connections' statements inside it", async () => {
    const inTransaction = async (owner: string, id: number) => {
      const client = await pool.connect();
      try {
        await client.query("begin");
        await client.query("insert into items (id, owner) values ($1, $2)", [id, owner]);
        await new Promise((r) => setTimeout(r, 5));
        if (owner.endsWith("rollback")) await client.query("rollback");
        else await client.query("commit");
      } finally {
        client.release();
      }
    };
    await Promise.all(
      Array.from({ length: 30 }, (_, i) => inTransaction(i % 3 === 0 ? `t${i}-rollback` : `t${i}-commit`, i)),
    );
    const { rows } = await pool.query("select owner from items order by id");
    expect(rows.map((r) => r.owner)).toEqual(
      Array.from({ length: 30 }, (_, i) => i).filter((i) => i % 3 !== 0).map((i) => `t${i}-commit`),
    );
  }, 60_000);

  it("interleaves transactions with other connections' queries without stalling or crossing them", async () => {
    const sumOf = async (client: pg.Pool | pg.PoolClient, i: number) => {
      const args = Array.from({ length: 1 + (i % 6) }, (_, k) => i * 10 + k);
      const { rows } = await client.query(`select ${args.map((_, k) => `$${k + 1}::int`).join(" + ")} as total`, args);
      return Number(rows[0].total) === args.reduce((a, b) => a + b, 0);
    };
    const results = await Promise.all(
      Array.from({ length: 300 }, async (_, i) => {
        if (i % 2 === 1) return sumOf(pool, i);
        const client = await pool.connect();
        try {
          await client.query("begin");
          const both = (await sumOf(client, i)) && (await sumOf(client, i + 1));
          await client.query("commit");
          return both;
        } finally {
          client.release();
        }
      }),
    );
    expect(results.every(Boolean)).toBe(true);
  }, 60_000);

  it("rolls back what a connection left open when it goes away", async () => {
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    await client.query("begin");
    await client.query("insert into items (id, owner) values (1000, 'abandoned')");
    await client.end();
    const { rows } = await pool.query("select count(*)::int as n from items where id = 1000");
    expect(rows[0].n).toBe(0);
  }, 60_000);
});
