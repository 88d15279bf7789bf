import fs from "node:fs";
import { decodeJwt, decodeProtectedHeader, jwtVerify } from "jose";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { conferenceIdForRoom } from "../../lib/jitsi/conference-id";
import { launchBrowser } from "./support/browser";
import { startJitsiStandIn, type JitsiStandIn, type RecordedJitsiCall } from "./support/jitsi-stand-in";
import { signIn } from "./support/sign-in";
import { makeDataDir, stackEnv, startStack, type RunningStack, stackAdminToken } from "./support/stack-process";

const SERVER = "stadtfunk.test";
const FALLBACK = "Die Videokonferenz ist gerade nicht erreichbar – der Chat funktioniert weiter.";
const APP_SECRET = "e2e-jitsi-app-secret-0123456789-abcdefghij";
const VERIFIER_TOKEN = "e2e-verifier-token-0123456789abcdef";


interface CallStack {
  standIn: JitsiStandIn;
  stack: RunningStack;
  browser: Browser;
  dataDir: string;
  hs: string;
  adminToken: string;
}

async function startCallStack(extraEnv: Record<string, string>): Promise<CallStack> {
  const standIn = await startJitsiStandIn();
  const dataDir = makeDataDir();
  const { env, ports } = await stackEnv(dataDir);
  const stack = await startStack(
    { ...env, JITSI_DOMAIN: standIn.domain, JITSI_VERIFIER_TOKEN: VERIFIER_TOKEN, ...extraEnv },
    ports,
  );
  const browser = await launchBrowser(standIn.chromiumArgs);
  const adminToken = stackAdminToken(dataDir);
  return { standIn, stack, browser, dataDir, hs: env.MATRIX_HOMESERVER_URL!, adminToken };
}

async function stopCallStack(s: CallStack | undefined): Promise<void> {
  if (!s) return;
  await s.browser.close().catch(() => {});
  await s.stack.interrupt();
  await s.standIn.stop();
  fs.rmSync(s.dataDir, { recursive: true, force: true });
}

/** Creates a meeting through the portal's form and returns its room ID (the page it lands on). */
async function createMeeting(page: Page, portalUrl: string, name: string, participant: string): Promise<string> {
  await page.goto(`${portalUrl}/rooms/new`);
  await page.locator('input[name="kind"][value="meeting"]').check();
  await page.locator("#name").fill(name);
  await page.locator("#startsAt").fill("2026-12-01T10:00");
  await page.locator("#endsAt").fill("2026-12-01T11:00");
  const option = page.locator("#participantIds option", { hasText: participant });
  await page.locator("#participantIds").selectOption((await option.getAttribute("value"))!);
  await page.getByRole("button", { name: "Raum anlegen" }).click();
  await page.waitForURL((url) => url.pathname.startsWith("/rooms/") && url.pathname !== "/rooms/new", { timeout: 30_000 });
  return decodeURIComponent(new URL(page.url()).pathname.split("/")[2]!);
}

/** The conference of the room's call widget, read by the homeserver admin (what Element users join). */
async function widgetConference(s: CallStack, roomId: string): Promise<string> {
  const res = await fetch(`${s.hs}/_synapse/admin/v1/rooms/${encodeURIComponent(roomId)}/state`, {
    headers: { Authorization: `Bearer ${s.adminToken}` },
  });
  const { state } = (await res.json()) as { state: { type: string; content: { data?: { conferenceId?: string } } }[] };
  const widget = state.find((e) => e.type === "im.vector.modular.widgets" && e.content.data?.conferenceId);
  return widget!.content.data!.conferenceId!;
}

/** Opens the call and returns what the portal passed the IFrame API. */
async function openCall(page: Page): Promise<RecordedJitsiCall> {
  await page.getByRole("button", { name: "Videokonferenz öffnen" }).click();
  await page.waitForFunction(() => ((window as unknown as { __jitsiCalls?: unknown[] }).__jitsiCalls ?? []).length > 0, null, {
    timeout: 20_000,
  });
  await page.locator('[data-call-state="ready"]').waitFor({ timeout: 10_000 });
  return page.evaluate(() => (window as unknown as { __jitsiCalls: RecordedJitsiCall[] }).__jitsiCalls[0]!);
}

function roomUrl(portalUrl: string, roomId: string): string {
  return `${portalUrl}/rooms/${encodeURIComponent(roomId)}`;
}

/** The chat area of the room page (built elsewhere): a labelled region. */
const chatRegion = (page: Page) => page.getByRole("region", { name: /chat/i });

describe("calls in jwt mode: the portal mints the Jitsi token", () => {
  let s: CallStack;
  let roomId: string;

  beforeAll(async () => {
    s = await startCallStack({ JITSI_AUTH_MODE: "jwt", JITSI_APP_SECRET: APP_SECRET });
    // Bernd signs in once so the directory knows him.
    const bernd = await signIn(s.browser, s.stack.portalUrl, "bernd.bauamt");
    await bernd.context.close();
  });

  afterAll(() => stopCallStack(s));

  it("loads the IFrame API from the configured domain with the room's conference and a member-only token", async () => {
    const { context, page } = await signIn(s.browser, s.stack.portalUrl, "anna.admin");
    const cspViolations: string[] = [];
    page.on("console", (msg) => {
      if (/Content Security Policy/i.test(msg.text())) cspViolations.push(msg.text());
    });
    roomId = await createMeeting(page, s.stack.portalUrl, "Bauausschuss", "Bernd Bauer");
    const conference = await widgetConference(s, roomId);

    const call = await openCall(page);
    expect(cspViolations).toEqual([]);
    expect(s.standIn.requests).toContain("/external_api.js");
    const scriptSrc = await page.locator("script[src$='/external_api.js']").getAttribute("src");
    expect(scriptSrc).toBe(`https://${s.standIn.domain}/external_api.js`);
    expect(call.domain).toBe(s.standIn.domain);
    expect(call.roomName).toBe(conference);
    expect(call.roomName).toMatch(/^[a-z2-7]{32}$/);
    expect(call.lang).toBe("de");
    expect(call.userInfo).toEqual({ displayName: "Anna Admin", email: "" });
    expect(call.configOverwrite).toMatchObject({
      startWithAudioMuted: true,
      startWithVideoMuted: true,
      prejoinConfig: { enabled: true },
      disableInviteFunctions: true,
    });
    const buttons = call.configOverwrite!.toolbarButtons as string[];
    expect(buttons).toContain("desktop");
    for (const off of ["recording", "livestreaming", "invite"]) expect(buttons).not.toContain(off);

    // The token, checked independently: pinned algorithm, this conference only, short-lived, moderator for the organiser.
    expect(decodeProtectedHeader(call.jwt!)).toStrictEqual({ alg: "HS256", typ: "JWT" });
    const { payload } = await jwtVerify(call.jwt!, new TextEncoder().encode(APP_SECRET), {
      algorithms: ["HS256"],
      audience: "jitsi",
      issuer: "stadtfunk",
      subject: s.standIn.domain,
    });
    expect(payload.room).toBe(conference);
    expect(payload.exp! - payload.iat!).toBe(300);
    expect(payload.nbf!).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
    expect(payload.context).toMatchObject({
      user: { id: `@anna.admin:${SERVER}`, name: "Anna Admin", moderator: "true" },
    });
    await expect(page.getByText(FALLBACK).count()).resolves.toBe(0);
    // The larger view is a toggle.
    await page.getByRole("button", { name: "Größere Ansicht" }).click();
    await expect(page.getByRole("button", { name: "Normale Ansicht" }).getAttribute("aria-pressed")).resolves.toBe("true");
    await context.close();
  });

  it("gives an invited colleague a token without moderator rights", async () => {
    const { context, page } = await signIn(s.browser, s.stack.portalUrl, "bernd.bauamt");
    await page.goto(roomUrl(s.stack.portalUrl, roomId));
    const call = await openCall(page);
    const payload = decodeJwt(call.jwt!);
    expect(payload.context).toMatchObject({ user: { id: `@bernd.bauamt:${SERVER}`, moderator: "false" } });
    expect(call.configOverwrite!.toolbarButtons).not.toContain("security");
    await context.close();
  });

  it("refuses a conference token to a non-member (403) and to the signed-out (401), without caching or stacks", async () => {
    const { context, page } = await signIn(s.browser, s.stack.portalUrl, "clara.kaemmerei");
    const answer = await page.evaluate(async (id) => {
      const r = await fetch(`/api/rooms/${encodeURIComponent(id)}/conference-token`, { method: "POST" });
      return { status: r.status, cache: r.headers.get("cache-control"), body: await r.text() };
    }, roomId);
    expect(answer.status).toBe(403);
    expect(answer.cache).toBe("no-store");
    expect(JSON.parse(answer.body)).toMatchObject({ error: expect.any(String) });
    expect(answer.body).not.toMatch(/\bat \S+:\d+/);
    await context.close();

    const anonymous = await fetch(`${s.stack.portalUrl}/api/rooms/${encodeURIComponent(roomId)}/conference-token`, { method: "POST" });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("cache-control")).toBe("no-store");
  });

  it("allows frames from exactly the configured Jitsi origin", async () => {
    const { context, page } = await signIn(s.browser, s.stack.portalUrl, "anna.admin");
    const res = await page.goto(roomUrl(s.stack.portalUrl, roomId));
    const csp = res!.headers()["content-security-policy"]!;
    const frameSrc = csp.split(";").map((d) => d.trim()).filter((d) => d.startsWith("frame-src"));
    expect(frameSrc).toEqual([`frame-src ${s.standIn.origin}`]);
    expect(res!.headers()["permissions-policy"]).toContain(`camera=(self "${s.standIn.origin}")`);
    await context.close();
  });

  it("shows the fallback within seconds when Jitsi's frame does not answer, and the chat stays", async () => {
    s.standIn.setConferencePage("silent");
    const { context, page } = await signIn(s.browser, s.stack.portalUrl, "anna.admin");
    await page.goto(roomUrl(s.stack.portalUrl, roomId));
    const started = Date.now();
    await page.getByRole("button", { name: "Videokonferenz öffnen" }).click();
    await page.getByRole("alert").filter({ hasText: FALLBACK }).waitFor({ timeout: 10_000 });
    expect(Date.now() - started).toBeLessThan(10_000);
    await expect(chatRegion(page).isVisible()).resolves.toBe(true);
    s.standIn.setConferencePage("answer");
    await context.close();
  });

  it("shows the fallback within seconds when Jitsi is down, and the chat stays", async () => {
    await s.standIn.stop();
    const { context, page } = await signIn(s.browser, s.stack.portalUrl, "anna.admin");
    const started = Date.now();
    await page.goto(roomUrl(s.stack.portalUrl, roomId));
    // Reported before anyone asks for the call: the IFrame API did not load.
    await page.getByRole("alert").filter({ hasText: FALLBACK }).waitFor({ timeout: 10_000 });
    expect(Date.now() - started).toBeLessThan(10_000);
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe("Bauausschuss");
    await expect(chatRegion(page).isVisible()).resolves.toBe(true);
    // Trying again still fails cleanly.
    await page.getByRole("button", { name: "Erneut versuchen" }).click();
    await page.getByRole("alert").filter({ hasText: FALLBACK }).waitFor({ timeout: 10_000 });
    await context.close();
  });
});

describe("calls in matrix mode: Element's openidtoken-jwt from the person's own OpenID token", () => {
  let s: CallStack;

  beforeAll(async () => {
    s = await startCallStack({ JITSI_AUTH_MODE: "matrix" });
    const bernd = await signIn(s.browser, s.stack.portalUrl, "bernd.bauamt");
    await bernd.context.close();
  });

  afterAll(() => stopCallStack(s));

  it("passes the base32 conference and a token Prosody's verifier (the portal) accepts for this room", async () => {
    const { context, page } = await signIn(s.browser, s.stack.portalUrl, "anna.admin");
    const roomId = await createMeeting(page, s.stack.portalUrl, "Kämmerei Jour fixe", "Bernd Bauer");
    const call = await openCall(page);
    expect(call.domain).toBe(s.standIn.domain);
    expect(call.roomName).toBe(conferenceIdForRoom(roomId));
    expect(call.roomName).toBe(await widgetConference(s, roomId));

    expect(decodeProtectedHeader(call.jwt!)).toStrictEqual({ alg: "HS256", typ: "JWT" });
    const payload = decodeJwt(call.jwt!) as { context: { matrix: { token: string } } };
    expect(payload).toStrictEqual({
      iss: s.standIn.domain,
      sub: s.standIn.domain,
      aud: `https://${s.standIn.domain}`,
      room: "*",
      context: {
        matrix: { token: expect.any(String), room_id: roomId, server_name: SERVER },
        user: { avatar: "", name: "Anna Admin" },
      },
    });

    // What Prosody does next: ask the verifier with the token from inside the envelope.
    const verify = (bearer: string) =>
      fetch(`${s.stack.portalUrl}/api/jitsi/verify/user_in_room`, {
        method: "POST",
        headers: { Authorization: `Bearer ${bearer}`, "Content-Type": "application/json" },
        body: JSON.stringify({ token: payload.context.matrix.token, room_id: roomId, matrix_server_name: SERVER }),
      });
    const res = await verify(VERIFIER_TOKEN);
    expect(res.status).toBe(200);
    const verdict = (await res.json()) as { power_levels: { room: { state_default: number }; user: number } };
    expect(verdict).toMatchObject({ results: { user: true, room_membership: true }, user_id: `@anna.admin:${SERVER}` });
    expect(verdict.power_levels.user).toBeGreaterThanOrEqual(verdict.power_levels.room.state_default);
    expect((await verify("not-the-token")).status).toBe(403);
    await context.close();
  });
});
