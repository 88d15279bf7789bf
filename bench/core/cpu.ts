import { execFileSync } from "node:child_process";
import fs from "node:fs";

/**
 * CPU time spent by processes, to show where a ratio's difference goes on a
 * machine whose cores every process shares. Linux only (/proc); elsewhere 0.
 */

let ticksPerSecond: number | undefined;
function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

function children(pid: number): number[] {
  try {
    return fs
      .readdirSync(`/proc/${pid}/task`)
      .flatMap((tid) => fs.readFileSync(`/proc/${pid}/task/${tid}/children`, "utf8").trim().split(/\s+/))
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

/** CPU milliseconds used so far by one process (not its children). */
export function ownCpuMs(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name (which may contain spaces): utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) / clockTicks()) * 1000;
  } catch {
    return 0;
  }
}

/** CPU milliseconds used so far by a process and all its descendants (e.g. tsx and the node it starts). */
export function treeCpuMs(pid: number): number {
  return ownCpuMs(pid) + children(pid).reduce((sum, child) => sum + treeCpuMs(child), 0);
}

/** CPU milliseconds used so far by this process. */
export function selfCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

export type CpuProbe = Record<string, () => number>;

/** Runs fn and reports the CPU each probe's process used meanwhile. */
export async function measureCpu<T>(probes: CpuProbe, fn: () => Promise<T>): Promise<{ result: T; cpuMs: Record<string, number> }> {
  const before = Object.fromEntries(Object.entries(probes).map(([k, probe]) => [k, probe()]));
  const result = await fn();
  const cpuMs = Object.fromEntries(Object.entries(probes).map(([k, probe]) => [k, probe() - before[k]!]));
  return { result, cpuMs };
}

/** The process listening on a local TCP port (Next renames its process, so its command line does not tell). */
export function pidListeningOn(port: number): number | undefined {
  const inodes = new Set<string>();
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    let text = "";
    try {
      text = fs.readFileSync(table, "utf8");
    } catch {
      continue;
    }
    for (const line of text.trim().split("\n").slice(1)) {
      const cols = line.trim().split(/\s+/);
      const localPort = parseInt(cols[1]?.split(":")[1] ?? "", 16);
      if (localPort === port && cols[3] === "0A") inodes.add(cols[9]!);
    }
  }
  if (inodes.size === 0) return undefined;
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      for (const fd of fs.readdirSync(`/proc/${entry}/fd`)) {
        const target = fs.readlinkSync(`/proc/${entry}/fd/${fd}`);
        const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
        if (inode && inodes.has(inode)) return Number(entry);
      }
    } catch {
      // the process ended, or is not ours to inspect
    }
  }
  return undefined;
}
