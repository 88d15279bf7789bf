import { execFile, spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import { createInterface } from "node:readline";
import { promisify } from "node:util";
import { parse } from "yaml";
import type { Logger } from "../log";
import { buildSynapseLogConfig, renderSynapseLogConfig } from "./log-config";

/** Kept in step with scripts/install-synapse.sh. */
export const SYNAPSE_VERSION = "1.163.2";

const run = promisify(execFile);

/** Synapse modules of our own (see lib/homeserver/modules), importable by name from homeserver.yaml. */
export const SYNAPSE_MODULES_DIR = path.join(import.meta.dirname, "modules");

/** Where Synapse's files live inside its data dir; buildSynapseConfig callers point at these. */
export function synapsePaths(dataDir: string) {
  return {
    config: path.join(dataDir, "homeserver.yaml"),
    logConfig: path.join(dataDir, "log.yaml"),
    appserviceRegistration: path.join(dataDir, "appservice-stadtfunk.yaml"),
    logFile: path.join(dataDir, "homeserver.log"),
  };
}

export interface StartSynapseOptions {
  /** The virtualenv made by scripts/install-synapse.sh (.venv/synapse). */
  venvDir: string;
  dataDir: string;
  /** homeserver.yaml text; its log_config and app_service_config_files should use synapsePaths(). */
  configYaml: string;
  appserviceRegistrationYaml?: string;
  /** Defaults to INFO into <dataDir>/homeserver.log and WARNING on stderr. */
  logConfigYaml?: string;
  port: number;
  /** Base URL to poll, e.g. http://127.0.0.1:8008. */
  url: string;
  logger: Logger;
  env?: Record<string, string>;
  /** Named in the "port in use" error so the operator knows what to change. */
  portSetting?: string;
  startTimeoutMs?: number;
}

export interface RunningSynapse {
  url: string;
  pid: number;
  stop(): Promise<void>;
}


/** Fails with a message naming the port when something already listens on it. */
export async function assertPortFree(port: number, setting = "MATRIX_HOMESERVER_URL"): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const server = net.createServer();
    server.once("error", (err: NodeJS.ErrnoException) => {
      reject(
        err.code === "EADDRINUSE"
          ? new Error(`Port ${port} is already in use (${setting})`)
          : new Error(`Cannot bind port ${port} (${setting}): ${err.message}`),
      );
    });
    server.listen(port, "127.0.0.1", () => server.close(() => resolve()));
  });
}

/** Only what Python needs; the parent's secrets stay out of Synapse's environment. */
function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const keep = ["PATH", "HOME", "LANG", "LC_ALL", "TZ", "TMPDIR", "SSL_CERT_FILE", "SSL_CERT_DIR"];
  const env: Record<string, string> = {};
  for (const k of keep) {
    const v = process.env[k];
    if (v !== undefined) env[k] = v;
  }
  // The local development IdP speaks plain http; authlib refuses that otherwise.
  // Cast: Next's types make NODE_ENV mandatory, which Python does not need.
  return {
    ...env,
    PYTHONUNBUFFERED: "1",
    AUTHLIB_INSECURE_TRANSPORT: "1",
    PYTHONPATH: SYNAPSE_MODULES_DIR,
    // No __pycache__ next to the modules in the source tree.
    PYTHONDONTWRITEBYTECODE: "1",
    ...extra,
  } as unknown as NodeJS.ProcessEnv;
}

async function writeFiles(opts: StartSynapseOptions): Promise<string> {
  const paths = synapsePaths(opts.dataDir);
  await mkdir(opts.dataDir, { recursive: true, mode: 0o700 });
  const logConfig =
    opts.logConfigYaml ?? renderSynapseLogConfig(buildSynapseLogConfig({ logFile: paths.logFile }));
  const files: [string, string][] = [
    [paths.config, opts.configYaml],
    [paths.logConfig, logConfig],
  ];
  if (opts.appserviceRegistrationYaml !== undefined) {
    files.push([paths.appserviceRegistration, opts.appserviceRegistrationYaml]);
  }
  for (const [file, text] of files) {
    await writeFile(file, text, { mode: 0o600 });
    await chmod(file, 0o600); // writeFile's mode applies only to new files; these hold secrets
  }
  return paths.config;
}

/** Generates the server's signing key once; later starts reuse it (and the database). */
async function ensureSigningKey(python: string, configFile: string, opts: StartSynapseOptions) {
  const parsed = parse(opts.configYaml) as { signing_key_path?: string } | null;
  const keyPath = parsed?.signing_key_path;
  if (keyPath && existsSync(keyPath)) return;
  try {
    await run(python, ["-m", "synapse.app.homeserver", "--config-path", configFile, "--generate-keys"], {
      cwd: opts.dataDir,
      env: childEnv(opts.env),
      timeout: 60_000,
    });
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`Synapse could not generate its signing key: ${(e.stderr || e.message).trim().slice(-2000)}`);
  }
}

/** Forwards Synapse's output lines into the logger, keeping the last ones for error messages. */
function pipeOutput(child: ChildProcess, logger: Logger, recent: string[]) {
  for (const stream of [child.stdout, child.stderr]) {
    if (!stream) continue;
    createInterface({ input: stream }).on("line", (line) => {
      recent.push(line);
      if (recent.length > 40) recent.shift();
      // The start-up banner is logged at WARNING so it always shows; it is not a warning.
      if (/ - synapse\.config\.logger - /.test(line)) logger.info({ synapse: line });
      else if (/ - (ERROR|CRITICAL) - |Traceback|Error:/.test(line)) logger.error({ synapse: line });
      else if (/ - WARNING - /.test(line)) logger.warn({ synapse: line });
      else logger.info({ synapse: line });
    });
  }
}

async function tailFile(file: string, lines: number): Promise<string[]> {
  try {
    return (await readFile(file, "utf8")).trimEnd().split("\n").slice(-lines);
  } catch {
    return [];
  }
}

async function isAnswering(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/_matrix/client/versions`, { signal: AbortSignal.timeout(2_000) });
    return res.ok;
  } catch {
    return false;
  }
}

/**
 * Starts Synapse from the project's venv and resolves once the client API
 * answers. A second start with the same dataDir reuses the database and key.
 */
export async function startSynapse(opts: StartSynapseOptions): Promise<RunningSynapse> {
  const python = path.join(opts.venvDir, "bin", "python");
  if (!existsSync(python)) {
    throw new Error(`Synapse is not installed in ${opts.venvDir}: run scripts/install-synapse.sh`);
  }
  const url = opts.url.replace(/\/+$/, "");
  await assertPortFree(opts.port, opts.portSetting);
  const configFile = await writeFiles(opts);
  await ensureSigningKey(python, configFile, opts);

  const child = spawn(python, ["-m", "synapse.app.homeserver", "-c", configFile], {
    cwd: opts.dataDir,
    env: childEnv(opts.env),
    stdio: ["ignore", "pipe", "pipe"],
  });
  const recent: string[] = [];
  pipeOutput(child, opts.logger, recent);
  let exitCode: number | string | null | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once("exit", (code, signal) => {
      exitCode = code ?? signal;
      resolve();
    });
    child.once("error", (err) => {
      recent.push(String(err));
      exitCode = "spawn error";
      resolve();
    });
  });
  // Never leave an orphaned homeserver behind when this process ends abruptly.
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);

  const stop = async () => {
    process.off("exit", killOnExit);
    if (exitCode !== undefined) return;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    await exited;
    clearTimeout(timer);
  };

  const explain = async (what: string) => {
    const log = await tailFile(synapsePaths(opts.dataDir).logFile, 20);
    const lines = [...recent.slice(-20), ...(log.length ? ["--- homeserver.log ---", ...log] : [])];
    return new Error(`${what}. Last output:\n${lines.join("\n")}`);
  };

  const deadline = Date.now() + (opts.startTimeoutMs ?? 60_000);
  while (!(await isAnswering(url))) {
    if (exitCode !== undefined) {
      process.off("exit", killOnExit);
      throw await explain(`Synapse exited (${exitCode}) before it answered on ${url}`);
    }
    if (Date.now() > deadline) {
      await stop();
      throw await explain(`Synapse did not answer on ${url} within ${(opts.startTimeoutMs ?? 60_000) / 1000} s`);
    }
    await Promise.race([exited, new Promise((r) => setTimeout(r, 200))]);
  }
  if (child.pid === undefined) throw await explain("Synapse has no process id");
  opts.logger.info({ url, pid: child.pid }, "Synapse is up");
  return { url, pid: child.pid, stop };
}
