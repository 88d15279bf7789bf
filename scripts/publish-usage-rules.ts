/**
 * `npm run rules:publish -- <directory>`: publishes a new version of the usage
 * rules and privacy notice guests accept (files named in
 * lib/guests/usage-rules-files.ts). Guests accept the new version from now on.
 */
import { loadConfigOrExit } from "../lib/config/load";
import { openDb, runMigrations } from "../lib/db/client";
import { publishUsageRules } from "../lib/guests/usage-rules";
import { readUsageRulesDir } from "../lib/guests/usage-rules-files";

const dir = process.argv[2];
if (!dir) {
  process.stderr.write("Usage: npm run rules:publish -- <directory with the four rules files>\n");
  process.exit(2);
}
const config = loadConfigOrExit();
let texts;
try {
  texts = readUsageRulesDir(dir);
} catch (err) {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exit(1);
}
const handle = openDb(config.database.url, { max: 1 });
try {
  await runMigrations(handle);
  const rules = await publishUsageRules(handle.db, texts, null);
  process.stdout.write(`Published usage rules version ${rules.version}.\n`);
} finally {
  await handle.close();
}
