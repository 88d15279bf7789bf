import fs from "node:fs";
import path from "node:path";
import type { BenchRow } from "./types";

const fmt = (v: number | null | undefined, digits = 2) =>
  v === null || v === undefined || Number.isNaN(v) ? "–" : v.toFixed(digits);

function okText(row: BenchRow): string {
  if (row.status === "not yet built") return "not yet built";
  if (row.status === "failed") return "FAILED";
  if (row.ok === null) return "info";
  return row.ok ? "ok" : "MISS";
}

function ratioText(row: BenchRow): string {
  if (row.ratio === null) return "–";
  const s = row.ratio_spread;
  return s ? `${fmt(row.ratio, 3)} [${fmt(s.p25)}–${fmt(s.p75)}]` : fmt(row.ratio, 3);
}

/** The table `npm run bench` prints: one line per row, then targets and further figures. */
export function renderTable(rows: BenchRow[]): string {
  const header = ["benchmark", "ratio [p25–p75]", "p50 ms", "p95 ms", "base p95", "n", "429", "hs/op", "result"];
  const lines = rows.map((r) => [
    r.name,
    ratioText(r),
    fmt(r.p50_ms),
    fmt(r.p95_ms),
    fmt(r.baseline_p95_ms),
    r.n === null ? "–" : String(r.n),
    r.errors_429 === null ? "–" : String(r.errors_429),
    r.homeserver_calls_per_op === null ? "–" : String(r.homeserver_calls_per_op),
    okText(r),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const render = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  const out = [render(header), widths.map((w) => "-".repeat(w)).join("  "), ...lines.map(render)];

  const targets = new Map<string, Set<string>>();
  for (const r of rows) targets.set(r.benchmark, (targets.get(r.benchmark) ?? new Set()).add(r.target));
  out.push("", "Targets:");
  for (const [id, set] of targets) out.push(`  ${id}: ${[...set].join("; ")}`);

  const withFigures = rows.filter((r) => r.figures && Object.keys(r.figures).length > 0);
  if (withFigures.length) {
    out.push("", "Figures:");
    for (const r of withFigures) {
      out.push(`  ${r.name}: ${Object.entries(r.figures!).map(([k, v]) => `${k}=${v}`).join(", ")}`);
    }
  }
  const notes = rows.filter((r) => r.notes);
  if (notes.length) {
    out.push("", "Notes:");
    for (const r of notes) out.push(`  ${r.name}: ${r.notes}`);
  }
  return out.join("\n");
}

export function summaryLine(rows: BenchRow[]): string {
  const count = (pred: (r: BenchRow) => boolean) => rows.filter(pred).length;
  return (
    `${count((r) => r.ok === true)} passed, ${count((r) => r.ok === false)} failed, ` +
    `${count((r) => r.ok === null && r.status !== "not yet built")} informational, ` +
    `${count((r) => r.status === "not yet built")} not yet built`
  );
}

/** Writes JSON through a temporary file, so a reader never sees half a file. */
export function writeJson(file: string, value: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(value, null, 2)}\n`);
  fs.renameSync(tmp, file);
}
