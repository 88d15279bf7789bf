import fs from "node:fs";
import path from "node:path";
import { usageRulesText, type UsageRulesTexts } from "./usage-rules";

/** The four texts of a rules version, one file each, as city IT keeps them (Markdown or plain text). */
export const USAGE_RULES_FILES = {
  textDe: "nutzungsregeln.de.md",
  textEn: "usage-rules.en.md",
  privacyDe: "datenschutz.de.md",
  privacyEn: "privacy.en.md",
} as const satisfies Record<keyof UsageRulesTexts, string>;

/** Reads and checks a directory of rules texts; the message names the file that is missing or wrong. */
export function readUsageRulesDir(dir: string): UsageRulesTexts {
  const out: Partial<UsageRulesTexts> = {};
  for (const [key, file] of Object.entries(USAGE_RULES_FILES) as [keyof UsageRulesTexts, string][]) {
    const full = path.join(dir, file);
    if (!fs.existsSync(full)) throw new Error(`${file}: missing in ${dir}`);
    const parsed = usageRulesText.safeParse(fs.readFileSync(full, "utf8"));
    if (!parsed.success) throw new Error(`${file}: ${parsed.error.issues[0]?.message ?? "invalid"}`);
    out[key] = parsed.data;
  }
  return out as UsageRulesTexts;
}
