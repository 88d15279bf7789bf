/**
 * The embedded database exactly as `npm start` runs it (PGlite behind the
 * wire server of lib/db/pglite-wire-server.ts), in a process of its own, as in the stack where it
 * lives in the orchestrator and the portal reaches it over TCP.
 * Usage: tsx bench/core/pglite-server.ts <dir> <port>; prints "ready <url>".
 */
import { startEmbeddedDb } from "../../lib/db/embedded-server";

const [dir, port] = process.argv.slice(2);
if (!dir || !port) {
  process.stderr.write("usage: pglite-server.ts <dir> <port>\n");
  process.exit(2);
}
const db = await startEmbeddedDb({ dir, port: Number(port) });
process.stdout.write(`ready ${db.url}\n`);
const stop = () => void db.stop().finally(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
