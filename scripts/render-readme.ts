/** Regenerates the README's generated sections (`tsx scripts/render-readme.ts`). */
import fs from "node:fs";
import path from "node:path";
import { withRateLimitTable } from "../lib/homeserver/rate-limit-table";

const file = path.resolve(import.meta.dirname, "../README.md");
fs.writeFileSync(file, withRateLimitTable(fs.readFileSync(file, "utf8")));
