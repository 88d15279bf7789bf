import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort } from "../../../scripts/stack/ports";

const ROOT = path.resolve(import.meta.dirname, "../../..");

export interface StackPorts {
  portal: number;
  pglite: number;
  synapse: number;
  appservice: number;
  idp: number;
}

export interface RunningStack {
  env: Record<string, string>;
  ports: StackPorts;
  portalUrl: string;
  output: () => string;
  /** Ctrl-C, as a person would press it; resolves with the exit code. */
  interrupt(timeoutMs?: number): Promise<number | null>;
  kill(): void;
}

export async function stackEnv(dataDir: string): Promise<{ env: Record<string, string>; ports: StackPorts }> {
  const ports: StackPorts = {
    portal: await freePort(),
    pglite: await freePort(),
    synapse: await freePort(),
    appservice: await freePort(),
    idp: await freePort(),
  };
  const env: Record<string, string> = {
    PATH: `${path.join(ROOT, "node_modules/.bin")}:${process.env.PATH ?? ""}`,
    HOME: process.env.HOME ?? os.homedir(),
    NEXT_TELEMETRY_DISABLED: "1",
    STADTFUNK_DEMO: "true",
    STADTFUNK_DATA_DIR: dataDir,
    LOG_LEVEL: "warn",
    PORTAL_PORT: String(ports.portal),
    PORTAL_URL: `http://127.0.0.1:${ports.portal}`,
    PGLITE_PORT: String(ports.pglite),
    MATRIX_HOMESERVER_URL: `http://127.0.0.1:${ports.synapse}`,
    APPSERVICE_PORT: String(ports.appservice),
    APPSERVICE_URL: `http://127.0.0.1:${ports.appservice}`,
    DEV_IDP_PORT: String(ports.idp),
    OIDC_ISSUER: `http://127.0.0.1:${ports.idp}`,
  };
  return { env, ports };
}

/** Runs `scripts/stack.ts` - what `npm start` runs after installing - and waits for its banner. */
export async function startStack(
  env: Record<string, string>,
  ports: StackPorts,
  timeoutMs = 180_000,
): Promise<RunningStack> {
  const child: ChildProcess = spawn(
    process.execPath,
    [path.join(ROOT, "node_modules/tsx/dist/cli.mjs"), "scripts/stack.ts"],
    { cwd: ROOT, env: env as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "pipe"] },
  );
  let out = "";
  child.stdout?.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));

  const deadline = Date.now() + timeoutMs;
  while (!out.includes("is running")) {
    if (child.exitCode !== null) throw new Error(`stack exited with ${child.exitCode}:\n${out}`);
    if (Date.now() > deadline) {
      child.kill("SIGINT");
      throw new Error(`stack did not start within ${timeoutMs} ms:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    env,
    ports,
    portalUrl: env.PORTAL_URL!,
    output: () => out,
    async interrupt(ms = 60_000) {
      if (child.exitCode !== null) return child.exitCode;
      child.kill("SIGINT");
      const timer = setTimeout(() => child.kill("SIGKILL"), ms);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
    kill() {
      if (child.exitCode === null) child.kill("SIGKILL");
    },
  };
}

export function makeDataDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "stadtfunk-e2e-"));
}

/** The homeserver admin token `npm start` generated into the stack's data dir (demo secrets). */
export function stackAdminToken(dataDir: string): string {
  const token = /^MATRIX_ADMIN_TOKEN=(.+)$/m.exec(fs.readFileSync(path.join(dataDir, "secrets.env"), "utf8"))?.[1];
  if (!token) throw new Error(`no MATRIX_ADMIN_TOKEN in ${dataDir}/secrets.env`);
  return token;
}

/** Tests chat faster than people do: lifts the homeserver's message rate limit for these users. */
export async function liftMessageRateLimit(homeserverUrl: string, adminToken: string, userIds: readonly string[]): Promise<void> {
  for (const user of userIds) {
    const res = await fetch(`${homeserverUrl}/_synapse/admin/v1/users/${encodeURIComponent(user)}/override_ratelimit`, {
      method: "POST",
      headers: { Authorization: `Bearer ${adminToken}`, "content-type": "application/json" },
      body: JSON.stringify({ messages_per_second: 0, burst_count: 0 }),
    });
    if (res.status !== 200) throw new Error(`override_ratelimit for ${user}: HTTP ${res.status}`);
  }
}
