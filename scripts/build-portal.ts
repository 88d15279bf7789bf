/** Builds the portal when its sources changed since the last build (`npm test` and `npm start` share it). */
import { execFileSync } from "node:child_process";
import path from "node:path";
import { isPortalBuildCurrent, markPortalBuildCurrent } from "./stack/portal-build";

const root = path.resolve(import.meta.dirname, "..");
if (isPortalBuildCurrent(root)) {
  process.stdout.write("Portal build is current\n");
} else {
  execFileSync(process.execPath, [path.join(root, "node_modules/next/dist/bin/next"), "build"], {
    cwd: root,
    stdio: "inherit",
  });
  markPortalBuildCurrent(root);
}
