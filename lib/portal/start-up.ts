import { ConfigError } from "../config/load";
import { preparePortal } from "./runtime";

// Imported once when the portal server starts: a bad configuration or an
// unreachable database stops it with a readable message and no stack trace.
try {
  await preparePortal();
} catch (err) {
  const message = err instanceof ConfigError ? err.message : `Portal start failed: ${(err as Error).message}`;
  process.stderr.write(`${message}\n`);
  process.exit(1);
}
