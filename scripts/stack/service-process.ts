import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

export interface ServiceProcess {
  name: string;
  child: ChildProcess;
  isAlive(): boolean;
  stop(timeoutMs?: number): Promise<void>;
}

/**
 * Starts a child in its own process group, its output appended to a log file.
 * Own group: Ctrl-C reaches only the orchestrator, which then stops the
 * services in order (portal and bots before the homeserver and the database).
 */
export function startServiceProcess(opts: {
  name: string;
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  logFile: string;
}): ServiceProcess {
  fs.mkdirSync(path.dirname(opts.logFile), { recursive: true });
  const out = fs.openSync(opts.logFile, "a");
  const child = spawn(opts.command, opts.args, {
    cwd: opts.cwd,
    env: opts.env,
    stdio: ["ignore", out, out],
    detached: true,
  });
  fs.closeSync(out);
  let exited = child.exitCode !== null;
  const exitPromise = new Promise<void>((resolve) => child.once("exit", () => ((exited = true), resolve())));

  return {
    name: opts.name,
    child,
    isAlive: () => !exited,
    async stop(timeoutMs = 10_000) {
      if (exited || child.pid === undefined) return;
      killGroup(child.pid, "SIGTERM");
      const timer = setTimeout(() => child.pid !== undefined && killGroup(child.pid, "SIGKILL"), timeoutMs);
      await exitPromise;
      clearTimeout(timer);
      // Grandchildren (next start's workers) share the group; make sure none outlive the stop.
      killGroup(child.pid, "SIGKILL");
    },
  };
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

/** Last lines of a log file, for start-up failure messages. */
export function tailFile(file: string, lines = 20): string {
  try {
    return fs.readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}
