import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

const SOURCES = [
  "app",
  "lib",
  "drizzle",
  "public",
  "proxy.ts",
  "instrumentation.ts",
  "next.config.mjs",
  "postcss.config.mjs",
  "tsconfig.json",
  "package-lock.json",
];

function* walk(p: string): Generator<string> {
  const stat = fs.statSync(p, { throwIfNoEntry: false });
  if (!stat) return;
  if (stat.isFile()) {
    yield p;
    return;
  }
  for (const entry of fs.readdirSync(p).sort()) {
    if (entry === "node_modules" || entry.startsWith(".")) continue;
    yield* walk(path.join(p, entry));
  }
}

/** A hash of everything the portal build depends on, to rebuild only when it changed. */
export function portalSourceHash(root: string): string {
  const hash = crypto.createHash("sha256");
  for (const source of SOURCES) {
    for (const file of walk(path.join(root, source))) {
      hash.update(path.relative(root, file)).update("\0").update(fs.readFileSync(file));
    }
  }
  return hash.digest("hex");
}

const stampFile = (root: string) => path.join(root, ".next", "stadtfunk-source.sha256");

export function isPortalBuildCurrent(root: string): boolean {
  if (!fs.existsSync(path.join(root, ".next", "BUILD_ID"))) return false;
  try {
    return fs.readFileSync(stampFile(root), "utf8").trim() === portalSourceHash(root);
  } catch {
    return false;
  }
}

export function markPortalBuildCurrent(root: string): void {
  fs.writeFileSync(stampFile(root), portalSourceHash(root));
}
