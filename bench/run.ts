/**
 * `npm run bench`: runs every benchmark against its own throwaway servers,
 * prints the table and writes bench/results/latest.json (a list of rows) and
 * bench/results/latest-run.json (machine, date, duration).
 *
 *   tsx bench/run.ts                 all benchmarks at full size (about 15 minutes on 2 cores)
 *   tsx bench/run.ts --smoke         tiny sizes: proves each benchmark runs, says nothing about speed
 *   tsx bench/run.ts --only B6,B9    a subset (written to bench/results/partial.json.tmp)
 *   tsx bench/run.ts --out file.json write the rows elsewhere
 *
 * Full runs exit 1 when a benchmark misses its target; smoke runs only when
 * a benchmark could not run at all.
 */
import { execFileSync } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { SYNAPSE_VERSION } from "../lib/homeserver/synapse-process";
import { createContext } from "./core/context";
import { renderTable, summaryLine, writeJson } from "./core/report";
import { isPlanned, type BenchmarkEntry, type BenchRow, type MeasuredRow } from "./core/types";
import { BENCHMARKS } from "./registry";

const ROOT = path.resolve(import.meta.dirname, "..");
const RESULTS = path.join(ROOT, "bench", "results");

const EMPTY: Omit<BenchRow, "benchmark" | "name" | "status" | "target"> = {
  ratio: null,
  ratio_spread: null,
  p50_ms: null,
  p95_ms: null,
  baseline_p50_ms: null,
  baseline_p95_ms: null,
  n: null,
  pairs: null,
  errors_429: null,
  errors_other: null,
  homeserver_calls_per_op: null,
  ok: null,
};

function plannedRow(entry: BenchmarkEntry): BenchRow {
  return {
    ...EMPTY,
    benchmark: entry.id,
    name: `${entry.id} ${entry.name}`,
    status: "not yet built",
    target: entry.target,
    notes: entry.description,
  };
}

function completeRow(entry: BenchmarkEntry, row: MeasuredRow, seconds: number): BenchRow {
  return { ...EMPTY, benchmark: entry.id, status: "measured", ...row, duration_s: Math.round(seconds) };
}

function machine() {
  const cpus = os.cpus();
  let commit: string | null = null;
  try {
    commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT, encoding: "utf8" }).trim();
  } catch {
    // not a git checkout
  }
  return {
    cpus: cpus.length,
    cpu_model: cpus[0]?.model ?? "unknown",
    memory_gib: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    synapse: SYNAPSE_VERSION,
    commit,
  };
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      smoke: { type: "boolean", default: false },
      only: { type: "string" },
      out: { type: "string" },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    process.stdout.write("usage: tsx bench/run.ts [--smoke] [--only B6,B7] [--out results.json]\n");
    return 0;
  }
  const smoke = values.smoke ?? false;
  const only = values.only ? new Set(values.only.split(",").map((s) => s.trim().toUpperCase())) : null;
  // Only a full run of every benchmark replaces latest.json; smoke and partial runs go to ignored files.
  const defaultOut = smoke ? "smoke.json.tmp" : only ? "partial.json.tmp" : "latest.json";
  const out = path.resolve(values.out ?? path.join(RESULTS, defaultOut));
  const selected = BENCHMARKS.filter((b) => !only || only.has(b.id));
  if (selected.length === 0) throw new Error(`--only matched no benchmark (known: ${BENCHMARKS.map((b) => b.id).join(", ")})`);

  const ctx = createContext(ROOT);
  const onSignal = () => void ctx.close().finally(() => process.exit(130));
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);

  const started = new Date();
  const loadBefore = os.loadavg();
  const rows: BenchRow[] = [];
  try {
    for (const entry of selected) {
      if (isPlanned(entry)) {
        rows.push(plannedRow(entry));
        continue;
      }
      ctx.log(`${entry.id} ${entry.name}${smoke ? " (smoke)" : ""}`);
      const t0 = performance.now();
      try {
        const result = await entry.run(ctx, { smoke });
        const seconds = (performance.now() - t0) / 1000;
        rows.push(...result.rows.map((r) => completeRow(entry, r, seconds)));
        ctx.log(`${entry.id} done in ${seconds.toFixed(0)} s`);
      } catch (err) {
        ctx.log(`${entry.id} failed: ${(err as Error).stack ?? err}`);
        rows.push({
          ...EMPTY,
          benchmark: entry.id,
          name: `${entry.id} ${entry.name}`,
          status: "failed",
          target: entry.target,
          ok: false,
          notes: (err as Error).message.replace(/\s+/g, " ").trim().slice(0, 400),
          duration_s: Math.round((performance.now() - t0) / 1000),
        });
      }
    }
  } finally {
    await ctx.close();
  }

  const seconds = Math.round((Date.now() - started.getTime()) / 1000);
  writeJson(out, rows);
  if (!values.out) {
    const runFile = smoke ? "smoke-run.json.tmp" : only ? "partial-run.json.tmp" : "latest-run.json";
    writeJson(path.join(RESULTS, runFile), {
      started: started.toISOString(),
      duration_s: seconds,
      smoke,
      only: only ? [...only] : null,
      machine: machine(),
      load_average_before: loadBefore.map((l) => Math.round(l * 100) / 100),
      load_average_after: os.loadavg().map((l) => Math.round(l * 100) / 100),
    });
  }
  process.stdout.write(`\n${renderTable(rows)}\n\n${summaryLine(rows)} · ${seconds} s · ${path.relative(ROOT, out)}\n`);
  if (smoke) {
    process.stdout.write("Smoke run: sizes are tiny, so the figures above say nothing about speed.\n");
    return rows.some((r) => r.status === "failed") ? 1 : 0;
  }
  return rows.some((r) => r.ok === false) ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    process.stderr.write(`${err.stack ?? err.message}\n`);
    process.exit(2);
  },
);
