/**
 * `npm start`: the whole suite on one machine - embedded database, identity
 * provider (demo mode), Synapse, bots and portal - started in dependency order
 * and stopped in reverse on Ctrl-C. Production runs the same pieces as
 * separate services (see README, "Operation").
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { ConfigError, environmentSnapshot, parseConfig, type AppConfig } from "../lib/config/load";
import { randomSecrets } from "../lib/config/schema";
import { openDb, runMigrations } from "../lib/db/client";
import { startEmbeddedDb } from "../lib/db/embedded-server";
import { DEMO_PASSWORD, DEMO_USERS } from "../lib/dev-idp/demo-users";
import { DEMO_ALLOWED_GROUPS } from "./stack/demo-defaults";
import { homeserverFilesFromConfig } from "../lib/homeserver/homeserver-files";
import { prepareConsentForStart, recordPortalAcceptances } from "../lib/homeserver/consent-at-start";
import { homeserverConsentFrom } from "../lib/policy/staff-consent";
import { currentRetentionPolicy } from "../lib/lifecycle/retention-policy";
import { approvedPartnerServers } from "../lib/federation/partners";
import { startSynapse } from "../lib/homeserver/synapse-process";
import { createLogger, type Logger } from "../lib/log";
import { startDevIdpFromConfig } from "./dev-idp";
import { ensureDemoAdminToken } from "./stack/admin-token";
import { loadOrCreateDemoSecrets } from "./stack/demo-secrets";
import { startMailCatcher } from "./stack/mail-catcher";
import { assertPortFree, httpOk, waitFor } from "./stack/ports";
import { isPortalBuildCurrent, markPortalBuildCurrent } from "./stack/portal-build";
import { startServiceProcess, tailFile, type ServiceProcess } from "./stack/service-process";

const ROOT = path.resolve(import.meta.dirname, "..");
const NODE = process.execPath;
const run = promisify(execFile);

type Stop = { name: string; stop: () => Promise<void> };

function resolveConfig(): { config: AppConfig; env: Record<string, string | undefined> } {
  const env = environmentSnapshot();
  const first = parseConfig(env);
  if (first.demo) {
    Object.assign(env, loadOrCreateDemoSecrets(first.dataDir, env));
    // The demo shows the access rule at work: erika.extern (praktikum) is refused.
    env.OIDC_ALLOWED_GROUPS ||= DEMO_ALLOWED_GROUPS.join(",");
  }
  return { config: parseConfig(env, randomSecrets), env };
}

async function buildPortalIfStale(env: NodeJS.ProcessEnv, log: Logger, logDir: string): Promise<void> {
  if (isPortalBuildCurrent(ROOT)) return;
  log.info("building the portal (first start or changed sources; about a minute)");
  const logFile = path.join(logDir, "portal-build.log");
  try {
    const { stdout, stderr } = await run(NODE, [path.join(ROOT, "node_modules/next/dist/bin/next"), "build"], {
      cwd: ROOT,
      env,
      maxBuffer: 64 * 1024 * 1024,
    });
    fs.writeFileSync(logFile, stdout + stderr);
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string };
    fs.writeFileSync(logFile, `${e.stdout ?? ""}${e.stderr ?? ""}`);
    throw new Error(`The portal build failed; see ${logFile}:\n${tailFile(logFile, 30)}`);
  }
  markPortalBuildCurrent(ROOT);
}

async function startService(
  stops: Stop[],
  opts: { name: string; args: string[]; env: NodeJS.ProcessEnv; logDir: string; readyUrl: string; timeoutMs: number },
): Promise<ServiceProcess> {
  const logFile = path.join(opts.logDir, `${opts.name}.log`);
  const svc = startServiceProcess({ name: opts.name, command: NODE, args: opts.args, env: opts.env, cwd: ROOT, logFile });
  stops.push({ name: opts.name, stop: () => svc.stop() });
  try {
    await waitFor(opts.name, () => httpOk(opts.readyUrl), { timeoutMs: opts.timeoutMs, isAlive: svc.isAlive });
  } catch (err) {
    throw new Error(`${(err as Error).message}. Last lines of ${logFile}:\n${tailFile(logFile)}`);
  }
  return svc;
}

function printBanner(config: AppConfig, seconds: number, mailCatcherUrl: string | null): void {
  const lines = [
    "",
    `Stadtfunk läuft / is running (${seconds} s)`,
    "",
    `  Portal:        ${config.portal.url}`,
    `  Health:        ${config.portal.url}/api/health`,
    `  Homeserver:    ${config.matrix.homeserverUrl}  (server name ${config.matrix.serverName})`,
    `  Anmeldung/SSO: ${config.oidc.issuer}`,
    ...(mailCatcherUrl ? [`  E-Mails:       ${mailCatcherUrl}  (Mail-Fänger der Demo / demo mail catcher)`] : []),
  ];
  if (config.demo) {
    lines.push("", `  Demo-Zugänge (Passwort für alle: ${DEMO_PASSWORD}):`);
    for (const u of DEMO_USERS) {
      lines.push(`    ${u.username.padEnd(18)} ${u.name.padEnd(16)} ${u.groups.join(", ").padEnd(26)} ${u.role}`);
    }
  }
  lines.push("", `  Logs: ${path.join(config.dataDir, "logs")}`, "  Beenden / stop: Ctrl-C", "");
  process.stdout.write(`${lines.join("\n")}\n`);
}

async function main(): Promise<void> {
  const started = Date.now();
  let resolved: ReturnType<typeof resolveConfig>;
  try {
    resolved = resolveConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const { config, env } = resolved;
  const log = createLogger("stack", config.logLevel);
  const logDir = path.join(config.dataDir, "logs");
  fs.mkdirSync(logDir, { recursive: true });
  const childEnv: NodeJS.ProcessEnv = {
    ...env,
    DATABASE_URL: config.database.url,
    NODE_ENV: "production",
    // next-auth reads these two itself.
    NEXTAUTH_URL: config.portal.url,
    NEXTAUTH_SECRET: config.portal.authSecret,
  };

  const stops: Stop[] = [];
  let stopping = false;
  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    for (const s of stops.reverse()) {
      await s.stop().catch((err: Error) => log.warn({ service: s.name, err: err.message }, "stop failed"));
    }
    log.info("all services stopped");
    process.exit(code);
  };
  process.on("SIGINT", () => void stopAll(0));
  process.on("SIGTERM", () => void stopAll(0));

  try {
    await assertPortFree(config.portal.port, "PORTAL_PORT");
    await assertPortFree(config.appservice.port, "APPSERVICE_PORT");
    if (config.demo) await assertPortFree(config.devIdp.port, "DEV_IDP_PORT");

    if (config.database.embedded) {
      await assertPortFree(config.database.pglitePort, "PGLITE_PORT");
      const db = await startEmbeddedDb({ dir: path.join(config.dataDir, "pglite"), port: config.database.pglitePort });
      stops.push({ name: "database", stop: db.stop });
      log.info({ port: config.database.pglitePort }, "embedded database listening");
    }
    const migrator = openDb(config.database.url, { max: 1 });
    const synapseDir = path.join(config.dataDir, "synapse");
    // Synapse reads its federation allow-list, message retention and consent version only at start: as of now.
    const [partnerServerNames, retentionPolicy, consentVersion] = await runMigrations(migrator)
      .then(() =>
        Promise.all([
          approvedPartnerServers(migrator.db),
          currentRetentionPolicy(migrator.db),
          prepareConsentForStart(migrator.db, config, synapseDir),
        ]),
      )
      .finally(() => migrator.close());

    if (config.demo) {
      const idp = await startDevIdpFromConfig(config, createLogger("dev-idp", config.logLevel));
      stops.push({ name: "identity provider", stop: idp.close });
    }
    // Demo without an SMTP server of its own: invitation mails land in a local catcher.
    let mailCatcherUrl: string | null = null;
    if (config.demo && !config.mail.smtpUrl) {
      const catcher = await startMailCatcher(config.dataDir);
      stops.push({ name: "mail catcher", stop: catcher.stop });
      childEnv.SMTP_URL = catcher.smtpUrl;
      mailCatcherUrl = catcher.webUrl;
    }

    const files = homeserverFilesFromConfig(config, {
      dataDir: synapseDir,
      partnerServerNames,
      messageRetentionDays: retentionPolicy.messageRetentionDays,
      consentVersion,
    });
    const synapse = await startSynapse({
      venvDir: path.join(ROOT, ".venv", "synapse"),
      dataDir: synapseDir,
      ...files,
      url: config.matrix.homeserverUrl,
      // Synapse logs fully to its own file; the console gets its warnings only.
      logger: createLogger("synapse", config.logLevel === "debug" || config.logLevel === "trace" ? config.logLevel : "warn"),
    });
    stops.push({ name: "homeserver", stop: synapse.stop });
    const homeserverConsent = homeserverConsentFrom(config);
    if (consentVersion !== undefined && homeserverConsent) {
      // Acceptances given in the portal while consent tracking was off count in Element too.
      const consentDb = openDb(config.database.url, { max: 1 });
      const recorded = await recordPortalAcceptances(consentDb.db, homeserverConsent, consentVersion, log).finally(() => consentDb.close());
      log.info({ version: consentVersion, recorded }, "consent tracking on: usage rules required on the homeserver");
    }
    if (config.demo) childEnv.MATRIX_ADMIN_TOKEN = await ensureDemoAdminToken(config);
    if (!childEnv.MATRIX_ADMIN_TOKEN) throw new Error("MATRIX_ADMIN_TOKEN: is required and has no default");

    const tsx = path.join(ROOT, "node_modules/tsx/dist/cli.mjs");
    await startService(stops, {
      name: "bots",
      args: [tsx, "bots/main.ts"],
      env: childEnv,
      logDir,
      readyUrl: `http://127.0.0.1:${config.appservice.port}/health`,
      timeoutMs: 60_000,
    });

    await buildPortalIfStale(childEnv, log, logDir);
    const next = path.join(ROOT, "node_modules/next/dist/bin/next");
    await startService(stops, {
      name: "portal",
      args: [next, "start", "-p", String(config.portal.port), "-H", "127.0.0.1"],
      env: childEnv,
      logDir,
      readyUrl: `http://127.0.0.1:${config.portal.port}/api/health`,
      timeoutMs: 90_000,
    });

    printBanner(config, Math.round((Date.now() - started) / 1000), mailCatcherUrl);
  } catch (err) {
    process.stderr.write(`\nStart failed: ${(err as Error).message}\n`);
    await stopAll(1);
  }
}

await main();
