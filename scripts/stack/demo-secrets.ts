import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { randomSecrets } from "../../lib/config/schema";

/**
 * The demo stack's secrets: generated once into <dataDir>/secrets.env
 * (mode 600) and reused, so sessions and the homeserver's data survive a
 * restart. Values already in the environment win. Production never uses this.
 */
export function loadOrCreateDemoSecrets(dataDir: string, env: Record<string, string | undefined>): Record<string, string> {
  const file = path.join(dataDir, "secrets.env");
  const stored: Record<string, string> = {};
  if (fs.existsSync(file)) {
    for (const line of fs.readFileSync(file, "utf8").split("\n")) {
      const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
      if (m?.[1] && m[2] !== undefined) stored[m[1]] = m[2];
    }
  }
  let changed = false;
  for (const key of randomSecrets) {
    if (!stored[key]) {
      stored[key] = crypto.randomBytes(32).toString("base64url");
      changed = true;
    }
  }
  if (changed) {
    fs.mkdirSync(dataDir, { recursive: true });
    const body = Object.entries(stored).map(([k, v]) => `${k}=${v}`).join("\n");
    fs.writeFileSync(file, `# Generated demo secrets. Do not use in production.\n${body}\n`, { mode: 0o600 });
  }
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(stored)) result[key] = env[key] || value;
  return result;
}

/** Adds a secret obtained at run time (the homeserver admin token) to the demo secrets file. */
export function storeDemoSecret(dataDir: string, key: string, value: string): void {
  const file = path.join(dataDir, "secrets.env");
  fs.appendFileSync(file, `${key}=${value}\n`, { mode: 0o600 });
}
