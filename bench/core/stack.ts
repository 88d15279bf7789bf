import fs from "node:fs";
import path from "node:path";
import { parseConfig, type AppConfig } from "../../lib/config/load";
import { makeDataDir, stackEnv, startStack } from "../../tests/e2e/support/stack-process";
import { pidListeningOn } from "./cpu";
import type { BenchContext } from "./types";

export interface BenchStack {
  portalUrl: string;
  homeserverUrl: string;
  /** The stack's embedded database (PGlite behind its wire server), reachable like the portal reaches it. */
  databaseUrl: string;
  /** The demo secrets `npm start` generated into the data dir (AUTH_SECRET, MATRIX_ADMIN_TOKEN, ...). */
  secrets: Record<string, string>;
  /** The configuration the stack's processes run with (its environment plus the demo secrets), for in-process use cases. */
  config: AppConfig;
  dataDir: string;
  /** The process serving the portal (with its children), for CPU accounting; absent when not found. */
  portalPid?: number;
  /** The orchestrator, which runs the embedded database (PGlite) in its own process. */
  orchestratorPid?: number;
}

function readSecrets(dataDir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of fs.readFileSync(path.join(dataDir, "secrets.env"), "utf8").split("\n")) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (m?.[1] && m[2] !== undefined) out[m[1]] = m[2];
  }
  return out;
}

/**
 * The whole suite as `npm start` runs it (demo mode, embedded database,
 * Synapse, bots, portal), on free ports with its own data dir. The first
 * start after a source change builds the portal (about a minute).
 */
export function sharedStack(ctx: BenchContext): Promise<BenchStack> {
  return ctx.shared("stack", async () => {
    const dataDir = makeDataDir();
    ctx.onCleanup(() => fs.rmSync(dataDir, { recursive: true, force: true }));
    const { env, ports } = await stackEnv(dataDir);
    const started = performance.now();
    ctx.log("starting the stack (npm start on free ports; builds the portal first if its sources changed)");
    const stack = await startStack(env, ports, 15 * 60_000);
    ctx.log(`stack up at ${stack.portalUrl} in ${((performance.now() - started) / 1000).toFixed(0)} s`);
    const portalPid = pidListeningOn(ports.portal);
    const databasePid = pidListeningOn(ports.pglite);
    const secrets = readSecrets(dataDir);
    return {
      value: {
        config: parseConfig({ ...env, ...secrets }),
        portalUrl: stack.portalUrl,
        homeserverUrl: env.MATRIX_HOMESERVER_URL!,
        databaseUrl: `postgres://postgres:postgres@127.0.0.1:${ports.pglite}/postgres`,
        secrets,
        dataDir,
        portalPid,
        orchestratorPid: databasePid,
      },
      stop: async () => {
        const code = await stack.interrupt(60_000);
        if (code !== 0) ctx.log(`stack exited with ${code} on Ctrl-C`);
      },
    };
  });
}
