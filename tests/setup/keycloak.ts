import { execFile, spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { copyFile, mkdir, mkdtemp, rm, symlink } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { promisify } from "node:util";
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from "jose";
import { createLogger, type Logger } from "../../lib/log";
import { freePort } from "../../scripts/stack/ports";

/**
 * A throwaway Keycloak (the pinned keycloak-quarkus-dist in .cache/keycloak)
 * with the "stadtfunk" test realm, plus a fetch-based browser that signs in
 * through its login form, so SSO tests need no real browser.
 */

const ROOT = path.resolve(import.meta.dirname, "../..");
const INSTALL_SCRIPT = path.join(ROOT, "scripts", "keycloak", "install-keycloak.sh");
const REALM_FILE = path.join(ROOT, "scripts", "keycloak", "realm-stadtfunk.json");
export const KEYCLOAK_REALM = "stadtfunk";

// ---------------------------------------------------------------- test realm

interface RealmJson {
  users: { username: string; credentials: { value: string }[]; groups: string[] }[];
  clients: { clientId: string; secret: string }[];
}
const realm = JSON.parse(readFileSync(REALM_FILE, "utf8")) as RealmJson;

export interface RealmUser {
  username: string;
  password: string;
  /** Flat group names as the `groups` claim carries them. */
  groups: string[];
}

/** A user of scripts/keycloak/realm-stadtfunk.json with its test password. */
export function realmUser(username: string): RealmUser {
  const u = realm.users.find((x) => x.username === username);
  if (!u?.credentials[0]) throw new Error(`${username} is not in ${REALM_FILE}`);
  return { username, password: u.credentials[0].value, groups: u.groups.map((g) => g.replace(/^\//, "")) };
}

/** A confidential client of the test realm with its secret. */
export function realmClient(clientId: string): { clientId: string; clientSecret: string } {
  const c = realm.clients.find((x) => x.clientId === clientId);
  if (!c) throw new Error(`client ${clientId} is not in ${REALM_FILE}`);
  return { clientId, clientSecret: c.secret };
}

// ------------------------------------------------------------------ server

export interface RunningKeycloak {
  /** e.g. http://127.0.0.1:40123/realms/stadtfunk */
  issuer: string;
  baseUrl: string;
  adminUrl: string;
  /** The master realm's bootstrap admin (admin console and admin REST API). */
  admin: { username: string; password: string };
  pid: number;
  /** Milliseconds from spawn until the issuer's discovery document answered. */
  startMs: number;
  stop(): Promise<void>;
}

async function installKeycloak(): Promise<{ home: string; javaHome: string }> {
  let stdout: string;
  try {
    ({ stdout } = await promisify(execFile)("bash", [INSTALL_SCRIPT], { cwd: ROOT, timeout: 15 * 60_000 }));
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    throw new Error(`scripts/keycloak/install-keycloak.sh failed:\n${e.stdout ?? ""}${e.stderr ?? e.message}`);
  }
  const value = (key: string) => stdout.match(new RegExp(`^${key}=(.+)$`, "m"))?.[1];
  const home = value("KEYCLOAK_HOME");
  const javaHome = value("KEYCLOAK_JAVA_HOME");
  if (!home || !javaHome) throw new Error(`install-keycloak.sh printed no KEYCLOAK_HOME/KEYCLOAK_JAVA_HOME:\n${stdout}`);
  return { home, javaHome };
}

/**
 * kc.sh takes its home from its own location and keeps the H2 database and
 * the import folder in <home>/data. A temporary home with its own kc.sh and
 * data, and the rest linked to the cache, gives every run a fresh database
 * without copying 190 MB.
 */
async function makeHome(installed: string): Promise<string> {
  const home = await mkdtemp(path.join(os.tmpdir(), "stadtfunk-keycloak-"));
  await mkdir(path.join(home, "bin"));
  await copyFile(path.join(installed, "bin", "kc.sh"), path.join(home, "bin", "kc.sh"));
  for (const dir of ["lib", "conf", "providers", "themes"]) {
    await symlink(path.join(installed, dir), path.join(home, dir));
  }
  await mkdir(path.join(home, "data", "import"), { recursive: true });
  await copyFile(REALM_FILE, path.join(home, "data", "import", path.basename(REALM_FILE)));
  return home;
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is gone already.
  }
}

/**
 * kc.sh runs the JVM as its child. Killing only kc.sh would orphan the JVM,
 * so the server gets its own process group and every signal goes to the
 * group. A detached watchdog kills the group (and removes the temporary home)
 * if this process dies without running its exit handlers (a killed test worker).
 */
function startWatchdog(pgid: number, home: string): void {
  const script =
    'while kill -0 "$1" 2>/dev/null && kill -0 -- "-$2" 2>/dev/null; do sleep 1; done; ' +
    'kill -KILL -- "-$2" 2>/dev/null; sleep 1; rm -rf -- "$3"';
  spawn("bash", ["-c", script, "keycloak-watchdog", String(process.pid), String(pgid), home], {
    detached: true,
    stdio: "ignore",
  }).unref();
}

async function discoveryAnswers(issuer: string): Promise<boolean> {
  try {
    const res = await fetch(`${issuer}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(3_000) });
    return res.ok && ((await res.json()) as { issuer?: string }).issuer === issuer;
  } catch {
    return false;
  }
}

/** Starts Keycloak in dev mode with the stadtfunk realm imported; resolves once its issuer answers. */
export async function startKeycloak(
  opts: { port?: number; logger?: Logger; startTimeoutMs?: number } = {},
): Promise<RunningKeycloak> {
  const logger = opts.logger ?? createLogger("keycloak", process.env.LOG_LEVEL ?? "error");
  const { home: installed, javaHome } = await installKeycloak();
  const home = await makeHome(installed);
  const port = opts.port ?? (await freePort());
  const baseUrl = `http://127.0.0.1:${port}`;
  const issuer = `${baseUrl}/realms/${KEYCLOAK_REALM}`;
  const admin = { username: "admin", password: randomBytes(18).toString("base64url") };

  // A clean environment: KC_* variables from the shell could change build
  // options and make Keycloak rebuild itself inside the shared cache.
  const env = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: process.env.HOME ?? os.tmpdir(),
    TMPDIR: process.env.TMPDIR ?? os.tmpdir(),
    JAVA_HOME: javaHome,
    KC_BOOTSTRAP_ADMIN_USERNAME: admin.username,
    KC_BOOTSTRAP_ADMIN_PASSWORD: admin.password,
  };
  const started = performance.now();
  const child = spawn(
    path.join(home, "bin", "kc.sh"),
    ["start-dev", "--http-port", String(port), "--http-host", "127.0.0.1", "--import-realm"],
    // Cast: Next's types make NODE_ENV mandatory, which Keycloak does not need.
    { cwd: home, detached: true, stdio: ["ignore", "pipe", "pipe"], env: env as unknown as NodeJS.ProcessEnv },
  );
  let exitCode: number | string | null | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once("exit", (code, signal) => {
      exitCode = code ?? signal;
      resolve();
    });
    child.once("error", (err) => {
      exitCode = `spawn error: ${err.message}`;
      resolve();
    });
  });
  const pid = child.pid;
  if (pid === undefined) {
    await rm(home, { recursive: true, force: true });
    throw new Error(`could not start ${path.join(home, "bin", "kc.sh")}`);
  }
  startWatchdog(pid, home);
  const killOnExit = () => killGroup(pid, "SIGKILL");
  process.once("exit", killOnExit);

  const recent: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on("line", (line) => {
      recent.push(line);
      if (recent.length > 40) recent.shift();
      const level = / (ERROR|FATAL) /.test(line) ? "error" : / WARN /.test(line) ? "warn" : "info";
      logger[level]({ keycloak: line });
      if (line.startsWith("Updating the configuration")) {
        logger.warn("Keycloak rebuilds itself: the cached distribution does not match this start's build options");
      }
    });
  }

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (exitCode === undefined) {
      killGroup(pid, "SIGTERM");
      const timer = setTimeout(() => killGroup(pid, "SIGKILL"), 20_000);
      await exited;
      clearTimeout(timer);
    }
    killGroup(pid, "SIGKILL"); // whatever else is left in the group
    process.off("exit", killOnExit);
    await rm(home, { recursive: true, force: true });
  };

  const timeoutMs = opts.startTimeoutMs ?? 240_000;
  const deadline = Date.now() + timeoutMs;
  while (!(await discoveryAnswers(issuer))) {
    const failure =
      exitCode !== undefined
        ? `Keycloak exited (${exitCode}) before ${issuer} answered`
        : Date.now() > deadline
          ? `Keycloak did not answer at ${issuer} within ${timeoutMs / 1000} s`
          : undefined;
    if (failure) {
      const output = recent.join("\n");
      await stop();
      throw new Error(`${failure}. Last output:\n${output}`);
    }
    await Promise.race([exited, new Promise((r) => setTimeout(r, 500))]);
  }
  const startMs = performance.now() - started;
  logger.info({ issuer, pid, startMs: Math.round(startMs) }, "Keycloak is up");
  return { issuer, baseUrl, adminUrl: `${baseUrl}/admin/`, admin, pid, startMs, stop };
}

/** Keycloak's id for a user of the test realm, which is the `sub` it issues (admin REST API). */
export async function keycloakUserId(kc: RunningKeycloak, username: string): Promise<string> {
  const tokenRes = await fetch(`${kc.baseUrl}/realms/master/protocol/openid-connect/token`, {
    method: "POST",
    body: new URLSearchParams({ grant_type: "password", client_id: "admin-cli", ...kc.admin }),
  });
  if (!tokenRes.ok) throw new Error(`Keycloak admin token: HTTP ${tokenRes.status} ${await tokenRes.text()}`);
  const { access_token } = (await tokenRes.json()) as { access_token: string };
  const query = new URLSearchParams({ username, exact: "true" });
  const res = await fetch(`${kc.baseUrl}/admin/realms/${KEYCLOAK_REALM}/users?${query}`, {
    headers: { authorization: `Bearer ${access_token}` },
  });
  const users = (await res.json()) as { id: string; username: string }[];
  const user = users.find((u) => u.username === username);
  if (!user) throw new Error(`Keycloak has no user ${username} in realm ${KEYCLOAK_REALM}`);
  return user.id;
}

// ---------------------------------------------------------- browser stand-in

function decodeEntities(s: string): string {
  return s
    .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

function attr(tag: string, name: string): string | undefined {
  const m = tag.match(new RegExp(`\\s${name}\\s*=\\s*("([^"]*)"|'([^']*)')`, "i"));
  return m ? decodeEntities(m[2] ?? m[3] ?? "") : undefined;
}

/** Keycloak's username/password form: its action and the hidden fields it carries. */
function keycloakLoginForm(html: string): { action: string; fields: Record<string, string> } | undefined {
  const start = html.search(/<form\b[^>]*\bid=["']kc-form-login["']/i);
  if (start < 0) return undefined;
  const formTag = html.slice(start).match(/^<form\b[^>]*>/i)?.[0] ?? "";
  const action = attr(formTag, "action");
  if (!action) return undefined;
  const end = html.indexOf("</form>", start);
  const body = html.slice(start, end < 0 ? undefined : end);
  const fields: Record<string, string> = {};
  for (const input of body.match(/<input\b[^>]*>/gi) ?? []) {
    const name = attr(input, "name");
    if (name) fields[name] = attr(input, "value") ?? "";
  }
  return { action, fields };
}

function pageMessage(html: string): string {
  const error = html.match(/id=["']input-error[^>]*>\s*([^<]+)/i)?.[1];
  const title = html.match(/<title>\s*([^<]+)/i)?.[1];
  return decodeEntities((error ?? title ?? html.slice(0, 200)).trim());
}

interface StoredCookie {
  name: string;
  value: string;
  path: string;
}

export type NavigationResult =
  | { done: true; url: URL }
  /** Stopped on a page that is neither a redirect, a login form nor a link to the target. */
  | { done: false; url: URL; status: number; html: string };

/**
 * What a browser does during an SSO sign-in, with fetch: keeps cookies per
 * host (like a browser, not per port: Keycloak and Synapse share 127.0.0.1),
 * follows redirects, fills in Keycloak's login form and clicks a "Continue"
 * link that leads to the target (Synapse's confirmation page).
 */
export class SsoBrowser {
  private readonly jar = new Map<string, Map<string, StoredCookie>>();

  private cookieHeader(url: URL): string {
    const cookies = [...(this.jar.get(url.hostname)?.values() ?? [])];
    return cookies
      .filter((c) => url.pathname.startsWith(c.path))
      .map((c) => `${c.name}=${c.value}`)
      .join("; ");
  }

  private storeCookies(url: URL, res: Response): void {
    const cookies = this.jar.get(url.hostname) ?? new Map<string, StoredCookie>();
    this.jar.set(url.hostname, cookies);
    for (const line of res.headers.getSetCookie()) {
      const [pair = "", ...attrs] = line.split(";").map((s) => s.trim());
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      const get = (k: string) => attrs.find((a) => a.toLowerCase().startsWith(`${k}=`))?.slice(k.length + 1);
      const maxAge = get("max-age");
      const expires = get("expires");
      const cookiePath = get("path") ?? (url.pathname.replace(/\/[^/]*$/, "") || "/");
      const key = `${name};${cookiePath}`;
      if ((maxAge !== undefined && Number(maxAge) <= 0) || (expires && Date.parse(expires) < Date.now())) {
        cookies.delete(key);
      } else {
        cookies.set(key, { name, value, path: cookiePath });
      }
    }
  }

  /** One request without following redirects, cookies sent and kept. */
  async request(url: URL, init: { method?: string; body?: URLSearchParams } = {}): Promise<Response> {
    const cookie = this.cookieHeader(url);
    const res = await fetch(url, {
      method: init.method ?? "GET",
      body: init.body,
      redirect: "manual",
      headers: cookie ? { cookie } : {},
      signal: AbortSignal.timeout(30_000),
    });
    this.storeCookies(url, res);
    return res;
  }

  /** Follows the sign-in from `start` until a URL beginning with `stopAt` (not requested). */
  async navigate(
    start: string,
    opts: { stopAt: string; login?: { username: string; password: string }; maxSteps?: number },
  ): Promise<NavigationResult> {
    let url = new URL(start);
    let post: URLSearchParams | undefined;
    let submitted = false;
    for (let step = 0; step < (opts.maxSteps ?? 20); step++) {
      if (url.href.startsWith(opts.stopAt)) return { done: true, url };
      const res = await this.request(url, post ? { method: "POST", body: post } : {});
      post = undefined;
      const location = res.headers.get("location");
      if (res.status >= 300 && res.status < 400 && location) {
        await res.body?.cancel();
        url = new URL(location, url);
        continue;
      }
      const html = await res.text();
      const form = keycloakLoginForm(html);
      if (form && opts.login) {
        if (submitted) throw new Error(`Keycloak refused ${opts.login.username}: ${pageMessage(html)}`);
        submitted = true;
        post = new URLSearchParams({ ...form.fields, ...opts.login });
        url = new URL(form.action, url);
        continue;
      }
      const link = [...html.matchAll(/<a\b[^>]*>/gi)]
        .map((m) => attr(m[0], "href"))
        .find((href) => href?.startsWith(opts.stopAt));
      if (link) {
        url = new URL(link, url);
        continue;
      }
      return { done: false, url, status: res.status, html };
    }
    throw new Error(`sign-in from ${start} did not reach ${opts.stopAt} in ${opts.maxSteps ?? 20} steps`);
  }
}

// ------------------------------------------------------ portal-style sign-in

export interface OidcSignIn {
  /** ID token claims, signature checked against the issuer's JWKS. */
  claims: JWTPayload & Record<string, unknown>;
  userinfo: Record<string, unknown>;
  idToken: string;
  accessToken: string;
}

const base64url = (b: Buffer) => b.toString("base64url");

/**
 * Authorization code + PKCE (S256) sign-in as a confidential client, the way
 * the portal does it: browser part through SsoBrowser, then the token request
 * with client_secret_basic, ID token verification and a userinfo call.
 */
export async function fetchOidcClaims(opts: {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Any http://127.0.0.1:<port>/... URL; nothing needs to listen there. */
  redirectUri: string;
  username: string;
  password: string;
  scope?: string;
  browser?: SsoBrowser;
}): Promise<OidcSignIn> {
  const meta = (await (await fetch(`${opts.issuer}/.well-known/openid-configuration`)).json()) as {
    authorization_endpoint: string;
    token_endpoint: string;
    userinfo_endpoint: string;
    jwks_uri: string;
  };
  const verifier = base64url(randomBytes(32));
  const state = base64url(randomBytes(16));
  const nonce = base64url(randomBytes(16));
  const auth = new URL(meta.authorization_endpoint);
  auth.search = new URLSearchParams({
    response_type: "code",
    client_id: opts.clientId,
    redirect_uri: opts.redirectUri,
    scope: opts.scope ?? "openid profile email",
    state,
    nonce,
    code_challenge: base64url(createHash("sha256").update(verifier).digest()),
    code_challenge_method: "S256",
  }).toString();

  const browser = opts.browser ?? new SsoBrowser();
  const nav = await browser.navigate(auth.href, {
    stopAt: opts.redirectUri,
    login: { username: opts.username, password: opts.password },
  });
  if (!nav.done) throw new Error(`sign-in stopped at ${nav.url} (HTTP ${nav.status}): ${pageMessage(nav.html)}`);
  const params = nav.url.searchParams;
  if (params.get("error")) throw new Error(`authorization failed: ${params.get("error")} ${params.get("error_description")}`);
  if (params.get("state") !== state) throw new Error("authorization response carries the wrong state");
  const code = params.get("code");
  if (!code) throw new Error(`authorization response has no code: ${nav.url}`);

  const basic = Buffer.from(
    `${encodeURIComponent(opts.clientId)}:${encodeURIComponent(opts.clientSecret)}`,
  ).toString("base64");
  const tokenRes = await fetch(meta.token_endpoint, {
    method: "POST",
    headers: { authorization: `Basic ${basic}` },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      code,
      redirect_uri: opts.redirectUri,
      code_verifier: verifier,
    }),
  });
  if (!tokenRes.ok) throw new Error(`token request: HTTP ${tokenRes.status} ${await tokenRes.text()}`);
  const tokens = (await tokenRes.json()) as { id_token: string; access_token: string };

  const { payload } = await jwtVerify(tokens.id_token, createRemoteJWKSet(new URL(meta.jwks_uri)), {
    issuer: opts.issuer,
    audience: opts.clientId,
  });
  if (payload.nonce !== nonce) throw new Error("ID token carries the wrong nonce");

  const userinfoRes = await fetch(meta.userinfo_endpoint, {
    headers: { authorization: `Bearer ${tokens.access_token}` },
  });
  if (!userinfoRes.ok) throw new Error(`userinfo: HTTP ${userinfoRes.status} ${await userinfoRes.text()}`);
  return {
    claims: payload as OidcSignIn["claims"],
    userinfo: (await userinfoRes.json()) as Record<string, unknown>,
    idToken: tokens.id_token,
    accessToken: tokens.access_token,
  };
}
