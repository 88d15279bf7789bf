import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";

/**
 * `npm run bench --smoke`: every benchmark runs at tiny sizes against its own
 * throwaway servers. This checks that each one runs and reports a well-formed
 * row, never how fast anything is.
 */
const ROOT = path.resolve(import.meta.dirname, "../..");
const run = promisify(execFile);

const REQUIRED_KEYS = ["benchmark", "name", "status", "target", "ratio", "p50_ms", "p95_ms", "n", "errors_429", "homeserver_calls_per_op", "ok"];
const ALL_BENCHMARKS = ["B1", "B10", "B2", "B3", "B4", "B5", "B6", "B7", "B8", "B9"];

type Row = Record<string, unknown> & { benchmark: string; name: string; status: string };

const isCount = (v: unknown) => Number.isInteger(v) && (v as number) >= 0;
const isNonNegative = (v: unknown) => typeof v === "number" && Number.isFinite(v) && v >= 0;
const isNullOr = (check: (v: unknown) => boolean) => (v: unknown) => v === null || check(v);

describe("benchmark suite smoke run", () => {
  let rows: Row[] = [];
  let output = "";

  beforeAll(async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "stadtfunk-bench-smoke-"));
    const out = path.join(dir, "smoke.json");
    try {
      const res = await run(
        process.execPath,
        [path.join(ROOT, "node_modules/tsx/dist/cli.mjs"), "bench/run.ts", "--smoke", "--out", out],
        { cwd: ROOT, env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" }, maxBuffer: 32 * 1024 * 1024, timeout: 15 * 60_000 },
      );
      output = res.stdout + res.stderr;
    } catch (err) {
      const e = err as { stdout?: string; stderr?: string; message: string };
      output = `${e.stdout ?? ""}${e.stderr ?? e.message}`;
    }
    if (fs.existsSync(out)) rows = JSON.parse(fs.readFileSync(out, "utf8")) as Row[];
    fs.rmSync(dir, { recursive: true, force: true });
  }, 16 * 60_000);

  it("writes a list of rows with the required keys", () => {
    expect(rows.length, output).toBeGreaterThan(0);
    for (const row of rows) {
      for (const key of REQUIRED_KEYS) expect(row, `${row.name}: ${key}`).toHaveProperty(key);
    }
  });

  it("lists every benchmark of the issue, built or not", () => {
    expect([...new Set(rows.map((r) => r.benchmark))].sort()).toEqual(ALL_BENCHMARKS);
  });

  it("runs every built benchmark to the end", () => {
    const failed = rows.filter((r) => r.status === "failed").map((r) => `${r.name}: ${String(r.notes)}`);
    expect(failed, output).toEqual([]);
  });

  it("marks a capability that does not exist yet as not yet built, without figures", () => {
    for (const row of rows.filter((r) => r.status === "not yet built")) {
      expect(row.ok, row.name).toBeNull();
      expect(row.ratio, row.name).toBeNull();
      expect(row.n, row.name).toBeNull();
    }
  });

  it("reports measured rows with a ratio, latencies, a count and the 429s", () => {
    const measured = rows.filter((r) => r.status === "measured");
    expect(measured.length).toBeGreaterThan(0);
    for (const row of measured) {
      expect(isNonNegative(row.ratio), `${row.name}: ratio ${String(row.ratio)}`).toBe(true);
      expect(isNonNegative(row.p50_ms), `${row.name}: p50_ms`).toBe(true);
      expect(isNonNegative(row.p95_ms), `${row.name}: p95_ms`).toBe(true);
      expect(isCount(row.n) && (row.n as number) > 0, `${row.name}: n`).toBe(true);
      expect(isCount(row.errors_429), `${row.name}: errors_429`).toBe(true);
      expect(isNullOr(isNonNegative)(row.homeserver_calls_per_op), `${row.name}: homeserver_calls_per_op`).toBe(true);
      expect(row.ok === null || typeof row.ok === "boolean", `${row.name}: ok`).toBe(true);
    }
  });

  it("reports model rows with a figure-to-budget ratio", () => {
    const modelled = rows.filter((r) => r.status === "modelled");
    expect(modelled.length).toBeGreaterThan(0);
    for (const row of modelled) {
      expect(isNonNegative(row.ratio), row.name).toBe(true);
      expect(row.ok === null || typeof row.ok === "boolean", row.name).toBe(true);
    }
  });
});
