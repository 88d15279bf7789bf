import net from "node:net";
import type { PGlite } from "@electric-sql/pglite";

/**
 * Serves one PGlite database to many PostgreSQL clients (the portal's and
 * the bots' connection pools) over the wire protocol.
 *
 * PGlite is a single session, so every connection shares it. What keeps
 * clients apart:
 * - a connection's messages run as whole batches up to Sync or a simple
 *   Query, never interleaved with another connection's: the unnamed
 *   prepared statement of one client's Parse cannot meet another's Bind;
 * - while a connection's batch leaves the session inside a transaction (or
 *   inside an extended query, after Flush), only that connection runs;
 * - a connection that goes away mid-transaction is rolled back.
 * Per-message multiplexing (as pglite-socket 0.2 does it) breaks the first
 * two under concurrent load: crossed statements and stalled transactions.
 */

const SSL_REQUEST = 80_877_103;
const GSSENC_REQUEST = 80_877_104;
const CANCEL_REQUEST = 80_877_102;
const SYNC = 0x53; // 'S'
const QUERY = 0x51; // 'Q'
const FLUSH = 0x48; // 'H'
const TERMINATE = 0x58; // 'X'
const SYNC_MESSAGE = Uint8Array.of(SYNC, 0, 0, 0, 4);

interface Job {
  conn: WireConnection;
  batch: Uint8Array[];
  resolve(): void;
  reject(err: unknown): void;
}

class SessionScheduler {
  private owner: WireConnection | null = null;
  private queue: Job[] = [];
  private running = false;

  constructor(private readonly db: PGlite) {}

  run(conn: WireConnection, batch: Uint8Array[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ conn, batch, resolve, reject });
      void this.pump();
    });
  }

  /** A closed connection's queued work is dropped; if it held the session, the session is reset. */
  closed(conn: WireConnection): void {
    for (const job of this.queue.filter((j) => j.conn === conn)) job.reject(new Error("connection closed"));
    this.queue = this.queue.filter((j) => j.conn !== conn);
    void this.pump();
  }

  private async pump(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (;;) {
        if (this.owner?.isClosed) await this.resetSession();
        const next = this.owner ? this.queue.findIndex((j) => j.conn === this.owner) : this.queue.length > 0 ? 0 : -1;
        if (next < 0) return;
        const [job] = this.queue.splice(next, 1) as [Job];
        try {
          await this.db.runExclusive(async () => {
            for (const message of job.batch) {
              await this.db.execProtocolRawStream(message, { onRawData: (data) => job.conn.write(data) });
            }
          });
          job.resolve();
        } catch (err) {
          job.reject(err);
        }
        const insideExtendedQuery = job.batch.at(-1)?.[0] === FLUSH;
        this.owner = this.db.isInTransaction() || insideExtendedQuery ? job.conn : null;
      }
    } finally {
      this.running = false;
    }
  }

  /** The session's holder went away: end its extended query and its transaction. */
  private async resetSession(): Promise<void> {
    this.owner = null;
    try {
      await this.db.runExclusive(() => this.db.execProtocolRawStream(SYNC_MESSAGE, { onRawData: () => {} }));
      if (this.db.isInTransaction()) await this.db.exec("ROLLBACK");
    } catch {
      // Nothing to reset: the next client starts from a clean session either way.
    }
  }
}

class WireConnection {
  private buffer: Buffer = Buffer.alloc(0);
  private started = false;
  private batch: Uint8Array[] = [];
  private chain: Promise<void> = Promise.resolve();
  isClosed = false;

  constructor(
    private readonly socket: net.Socket,
    private readonly session: SessionScheduler,
  ) {
    socket.setNoDelay(true);
    socket.on("data", (chunk) => this.receive(chunk));
    socket.on("error", () => socket.destroy());
    socket.on("close", () => {
      this.isClosed = true;
      this.session.closed(this);
    });
  }

  write(data: Uint8Array): void {
    if (!this.isClosed && this.socket.writable && data.length > 0) this.socket.write(Buffer.from(data));
  }

  private receive(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const message = this.started ? this.takeMessage() : this.takeStartup();
      if (message === "wait") return;
      if (message === null) continue;
      if (message[0] === TERMINATE) {
        this.socket.end();
        return;
      }
      this.batch.push(message);
      const type = message[0]!;
      if (!this.started || type === SYNC || type === QUERY || type === FLUSH) {
        this.started = true;
        const batch = this.batch;
        this.batch = [];
        this.chain = this.chain
          .then(() => this.session.run(this, batch))
          .catch(() => {
            this.socket.destroy();
          });
      }
    }
  }

  /** Start-up packets have no type byte; SSL and GSS encryption are declined, as on a loopback server. */
  private takeStartup(): Uint8Array | null | "wait" {
    if (this.buffer.length < 8) return "wait";
    const length = this.buffer.readInt32BE(0);
    if (this.buffer.length < length) return "wait";
    const code = this.buffer.readInt32BE(4);
    const packet = Uint8Array.from(this.buffer.subarray(0, length));
    this.buffer = this.buffer.subarray(length);
    if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
      this.socket.write("N");
      return null;
    }
    if (code === CANCEL_REQUEST) {
      this.socket.end();
      return "wait";
    }
    return packet;
  }

  private takeMessage(): Uint8Array | "wait" {
    if (this.buffer.length < 5) return "wait";
    const length = 1 + this.buffer.readInt32BE(1);
    if (this.buffer.length < length) return "wait";
    const message = Uint8Array.from(this.buffer.subarray(0, length));
    this.buffer = this.buffer.subarray(length);
    return message;
  }
}

export interface WireServer {
  close(): Promise<void>;
}

export async function serveOverWire(db: PGlite, opts: { host: string; port: number }): Promise<WireServer> {
  const session = new SessionScheduler(db);
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    new WireConnection(socket, session);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  return {
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
