import { RATE_LIMIT_NOTES, type RateLimit } from "./synapse-config";

export const TABLE_START = "<!-- rate-limits:start (generated from lib/homeserver/synapse-config.ts; a test keeps it in sync) -->";
export const TABLE_END = "<!-- rate-limits:end -->";

const fmt = (r: RateLimit) => `${r.burst_count} at once, then ${r.per_second}/s`;

/** The README's table of changed homeserver rate limits, rendered from the config's own notes. */
export function renderRateLimitTable(): string {
  const rows = RATE_LIMIT_NOTES.map(
    (n) => `| \`${n.key}\` | ${fmt(n.value)} | ${fmt(n.default)} | ${n.why} |`,
  );
  return ["| limit | Stadtfunk | Synapse default | why |", "|---|---|---|---|", ...rows].join("\n");
}

/** Replaces the generated block in a README text. */
export function withRateLimitTable(readme: string): string {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start < 0 || end < start) throw new Error("README has no rate-limit markers");
  return `${readme.slice(0, start + TABLE_START.length)}\n${renderRateLimitTable()}\n${readme.slice(end)}`;
}
