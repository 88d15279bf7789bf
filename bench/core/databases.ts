import { spawn } from "node:child_process";
import path from "node:path";
import { startTestPostgres } from "../../tests/setup/postgres";
import { freePort } from "../../scripts/stack/ports";
import type { BenchContext } from "./types";

export interface BenchDatabase {
  url: string;
  label: string;
  /** The server's process (for CPU accounting); absent when not known. */
  pid?: number;
}

/** PGlite behind the wire server (lib/db/pglite-wire-server.ts) in a child process (as the stack's orchestrator runs it). */
export function sharedPglite(ctx: BenchContext): Promise<BenchDatabase> {
  return ctx.shared("pglite", async () => {
    const dir = path.join(ctx.tmpDir("stadtfunk-bench-pglite-"), "db");
    const port = await freePort();
    const child = spawn(
      process.execPath,
      [path.join(ctx.root, "node_modules/tsx/dist/cli.mjs"), path.join(ctx.root, "bench/core/pglite-server.ts"), dir, String(port)],
      { cwd: ctx.root, stdio: ["ignore", "pipe", "pipe"] },
    );
    let out = "";
    child.stdout?.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr?.on("data", (d: Buffer) => (out += d.toString()));
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    const killOnExit = () => child.kill("SIGKILL");
    process.once("exit", killOnExit);
    const deadline = Date.now() + 60_000;
    let url: string | undefined;
    while (!url) {
      url = /ready (\S+)/.exec(out)?.[1];
      if (url) break;
      if (child.exitCode !== null || Date.now() > deadline) {
        child.kill("SIGKILL");
        throw new Error(`PGlite server did not start:\n${out}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    ctx.log(`PGlite (wire server, own process) at 127.0.0.1:${port}`);
    return {
      value: { url, label: "PGlite", pid: child.pid },
      stop: async () => {
        process.off("exit", killOnExit);
        if (child.exitCode === null) child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
        await exited;
        clearTimeout(timer);
      },
    };
  });
}

/** A throwaway PostgreSQL server from Debian's package (the one the tests use). */
export function sharedPostgres(ctx: BenchContext): Promise<BenchDatabase> {
  return ctx.shared("postgres", async () => {
    const pg = await startTestPostgres();
    ctx.log(`PostgreSQL at ${pg.url.replace(/\/\/[^@]*@/, "//")}`);
    return { value: { url: pg.url, label: "PostgreSQL" }, stop: pg.stop };
  });
}
