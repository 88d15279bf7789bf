import fs from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";

export interface EmbeddedDb {
  url: string;
  stop(): Promise<void>;
}

/**
 * PGlite lives inside one process with one connection; the socket server
 * multiplexes the portal's and the bots' connections onto it so both
 * processes share one file-backed database through the ordinary pg driver.
 */
export async function startEmbeddedDb(opts: { dir: string; port: number }): Promise<EmbeddedDb> {
  fs.mkdirSync(path.dirname(opts.dir), { recursive: true });
  const db = await PGlite.create(opts.dir);
  const server = new PGLiteSocketServer({ db, port: opts.port, host: "127.0.0.1", maxConnections: 32 });
  try {
    await server.start();
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
      await server.stop();
      await db.close();
    },
  };
}
