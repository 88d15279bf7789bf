import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort } from "../../scripts/stack/ports";

/**
 * A throwaway PostgreSQL server from Debian's package, for tests whose point
 * is concurrency (races, leases, locks): PGlite serialises every statement and
 * would pass them by accident. PostgreSQL refuses to run as root, so as root
 * the server runs as the `postgres` system user.
 */
export interface TestPostgres {
  url: string;
  stop(): Promise<void>;
}

function binDir(): string {
  const base = "/usr/lib/postgresql";
  const versions = fs.existsSync(base) ? fs.readdirSync(base).sort((a, b) => Number(b) - Number(a)) : [];
  const found = versions.map((v) => path.join(base, v, "bin")).find((d) => fs.existsSync(path.join(d, "initdb")));
  if (!found) throw new Error("PostgreSQL server not installed: apt-get install -y postgresql");
  return found;
}

function asServerUser(cmd: string, args: string[]): [string, string[]] {
  return process.getuid?.() === 0 ? ["runuser", ["-u", "postgres", "--", cmd, ...args]] : [cmd, args];
}

export async function startTestPostgres(): Promise<TestPostgres> {
  const bin = binDir();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "stadtfunk-pg-"));
  if (process.getuid?.() === 0) execFileSync("chown", ["postgres:postgres", dir]);
  const dataDir = path.join(dir, "data");
  const port = await freePort();

  const [initCmd, initArgs] = asServerUser(path.join(bin, "initdb"), [
    "-D", dataDir, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync",
  ]);
  execFileSync(initCmd, initArgs, { stdio: "pipe" });

  const [cmd, args] = asServerUser(path.join(bin, "postgres"), [
    "-D", dataDir, "-p", String(port), "-h", "127.0.0.1", "-k", dir,
    "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "max_connections=100",
  ]);
  const server = spawn(cmd, args, { stdio: ["ignore", "ignore", "pipe"] });
  let log = "";
  server.stderr?.on("data", (d: Buffer) => (log += d.toString()));
  const exited = new Promise<void>((resolve) => server.once("exit", () => resolve()));

  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      execFileSync(path.join(bin, "pg_isready"), ["-h", "127.0.0.1", "-p", String(port)], { stdio: "ignore" });
      break;
    } catch {
      if (server.exitCode !== null || Date.now() > deadline) {
        throw new Error(`PostgreSQL did not start:\n${log}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    url,
    async stop() {
      // runuser does not pass signals on; pg_ctl signals the postmaster itself (fast shutdown).
      const [stopCmd, stopArgs] = asServerUser(path.join(bin, "pg_ctl"), ["stop", "-D", dataDir, "-m", "fast", "-w"]);
      try {
        execFileSync(stopCmd, stopArgs, { stdio: "ignore" });
      } catch {
        server.kill("SIGKILL");
      }
      await exited;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
