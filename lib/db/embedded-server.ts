import fs from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { serveOverWire, type WireServer } from "./pglite-wire-server";

export interface EmbeddedDb {
  url: string;
  stop(): Promise<void>;
}

/**
 * PGlite lives inside one process with one session; the wire server
 * (./pglite-wire-server) shares it with the portal's and the bots'
 * connections, so both processes use one file-backed database through the
 * ordinary pg driver.
 */
export async function startEmbeddedDb(opts: { dir: string; port: number }): Promise<EmbeddedDb> {
  fs.mkdirSync(path.dirname(opts.dir), { recursive: true });
  const db = await PGlite.create(opts.dir);
  let server: WireServer;
  try {
    server = await serveOverWire(db, { host: "127.0.0.1", port: opts.port });
  } catch (err) {
    await db.close();
    if ((err as NodeJS.ErrnoException).code === "EADDRINUSE") {
      throw new Error(`Port ${opts.port} is already in use (PGLITE_PORT)`);
    }
    throw err;
  }
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${opts.port}/postgres`,
    async stop() {
      await server.close();
      await db.close();
    },
  };
}
