import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { seriousViolations } from "./support/axe";
import { signIn } from "./support/sign-in";
import { launchBrowser } from "./support/browser";
import { makeDataDir, stackEnv, startStack, type RunningStack, stackAdminToken, liftMessageRateLimit } from "./support/stack-process";

const LIVE_MS = 20_000;
const MEETING = "Baustellenrunde Nord";

interface Person {
  context: BrowserContext;
  page: Page;
  /** Console errors, uncaught errors and CSP violations seen on room pages. */
  roomPageProblems: string[];
}

/** Watches a page for console errors, page errors and CSP violations while it shows a room. */
async function watchProblems(context: BrowserContext, page: Page, problems: string[]): Promise<void> {
  const onRoomPage = () => new URL(page.url()).pathname.startsWith("/rooms/!");
  await context.exposeFunction("__reportCspViolation", (text: string) => problems.push(`CSP: ${text}`));
  await context.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) =>
      (window as unknown as { __reportCspViolation(t: string): void }).__reportCspViolation(
        `${e.violatedDirective} ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}:${e.columnNumber}`,
      ),
    );
  });
  page.on("console", (msg) => {
    if (msg.type() !== "error" || !onRoomPage()) return;
    // No Jitsi can run on these machines: the call panel's script cannot load (its fallback is call.test.ts's concern).
    if (msg.text().includes("ERR_NAME_NOT_RESOLVED") && msg.location().url.endsWith("/external_api.js")) return;
    problems.push(`console: ${msg.text()} (${msg.location().url})`);
  });
  page.on("pageerror", (err) => {
    if (onRoomPage()) problems.push(`pageerror: ${err.message}`);
  });
}

async function person(browser: Browser, portalUrl: string, username: string): Promise<Person> {
  const { context, page } = await signIn(browser, portalUrl, username);
  const roomPageProblems: string[] = [];
  await watchProblems(context, page, roomPageProblems);
  return { context, page, roomPageProblems };
}

const chat = (page: Page) => page.getByRole("region", { name: "Chat" });
const messages = (page: Page) => chat(page).getByTestId("chat-message");
const message = (page: Page, text: string) => messages(page).filter({ hasText: text });
const composer = (page: Page) => chat(page).getByRole("textbox", { name: /Nachricht (schreiben|bearbeiten)/ });

async function send(page: Page, text: string): Promise<void> {
  await composer(page).fill(text);
  await composer(page).press("Enter");
}

async function waitVisible(locator: Locator, timeout = LIVE_MS): Promise<void> {
  await locator.first().waitFor({ state: "visible", timeout });
}

/** Opens the room page and waits until the chat is ready (joined, composer shown). */
async function openRoom(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await waitVisible(composer(page), 30_000);
}

/** Opens the dashboard and waits for its Matrix client's first sync. */
async function openDashboardSynced(page: Page, portalUrl: string): Promise<void> {
  const synced = page.waitForResponse((r) => r.url().includes("/_matrix/client/v3/sync") && r.ok(), { timeout: 30_000 });
  await page.goto(portalUrl);
  await synced.catch((err: Error) => {
    throw new Error(`the dashboard did not sync with the homeserver: is <UnreadBadges> placed next to the room list? (${err.message})`);
  });
}

describe("live chat on the room page: two staff in two browsers", () => {
  const dataDir = makeDataDir();
  let stack: RunningStack;
  let browser: Browser;
  let anna: Person;
  let bernd: Person;
  let roomId: string;
  let roomUrl: string;
  let hs: string;

  beforeAll(async () => {
    const { env, ports } = await stackEnv(dataDir);
    stack = await startStack(env, ports);
    hs = env.MATRIX_HOMESERVER_URL!;
    browser = await launchBrowser();
    // Bernd first: people appear in the participant picker after their first sign-in.
    bernd = await person(browser, stack.portalUrl, "bernd.bauamt");
    anna = await person(browser, stack.portalUrl, "anna.admin");
    // The test sends far more messages per minute than a person would: lift the message rate limit for both.
    const adminToken = stackAdminToken(dataDir);
    await liftMessageRateLimit(hs, adminToken, ["@anna.admin:stadtfunk.test", "@bernd.bauamt:stadtfunk.test"]);
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.interrupt();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("A creates a meeting with B through the form; B sees it on the dashboard and both open it", async () => {
    const { page } = anna;
    await page.goto(`${stack.portalUrl}/rooms/new`);
    await page.locator('input[name="kind"][value="meeting"]').check();
    await page.locator("#name").fill(MEETING);
    await page.locator("#startsAt").fill("2026-12-03T09:00");
    await page.locator("#endsAt").fill("2026-12-03T10:00");
    const option = page.locator("#participantIds option", { hasText: "Bernd Bauer" });
    await page.locator("#participantIds").selectOption((await option.getAttribute("value"))!);
    await page.getByRole("button", { name: "Raum anlegen" }).click();
    await page.waitForURL(/\/rooms\/(!|%21)/, { timeout: 30_000 });
    roomUrl = page.url();
    roomId = decodeURIComponent(new URL(roomUrl).pathname.split("/")[2]!);
    // The organiser was invited by the service: opening the room joins it.
    await waitVisible(composer(page), 30_000);

    await bernd.page.goto(stack.portalUrl);
    const link = bernd.page.getByTestId("room-list").getByRole("link", { name: MEETING, exact: true });
    await expect(link.getAttribute("href")).resolves.toBe(`/rooms/${encodeURIComponent(roomId)}`);
    await link.click();
    await bernd.page.waitForURL(roomUrl);
    await waitVisible(composer(bernd.page), 30_000);
    await waitVisible(chat(anna.page).getByTestId("chat-change").filter({ hasText: "Bernd Bauer ist beigetreten" }));
  });

  it("exchanges messages live both ways, with names, times, links and formatting", async () => {
    await send(anna.page, "Guten Morgen, Bernd! Plan: https://musterstadt.example/bau?id=7.");
    const atBernd = message(bernd.page, "Guten Morgen, Bernd!");
    await waitVisible(atBernd);
    await expect(atBernd.getByText("Anna Admin").count()).resolves.toBeGreaterThan(0);
    await expect(atBernd.locator("time").textContent()).resolves.toMatch(/^\d{2}:\d{2}$/);
    const link = atBernd.getByRole("link", { name: "https://musterstadt.example/bau?id=7" });
    await expect(link.getAttribute("rel")).resolves.toBe("noopener noreferrer");
    await expect(link.getAttribute("target")).resolves.toBe("_blank");
    await expect.poll(() => bernd.page.getByTestId("chat-announcer").textContent()).toContain("Neue Nachricht von Anna Admin");

    await send(bernd.page, "Moin Anna, **passt** <b>kein HTML</b>");
    const atAnna = message(anna.page, "Moin Anna");
    await waitVisible(atAnna);
    await expect(atAnna.locator("strong").textContent()).resolves.toBe("passt");
    await expect(atAnna.locator("b").count()).resolves.toBe(0);
    await expect(atAnna.textContent()).resolves.toContain("<b>kein HTML</b>");

    // Shift+Enter is a new line, Enter sends.
    await composer(anna.page).fill("Zeile eins");
    await composer(anna.page).press("Shift+Enter");
    await composer(anna.page).pressSequentially("Zeile zwei");
    await composer(anna.page).press("Enter");
    await waitVisible(message(bernd.page, "Zeile zwei"));
    await expect(message(bernd.page, "Zeile zwei").getByTestId("chat-message-body").innerText()).resolves.toContain("Zeile eins\nZeile zwei");
  });

  it("shows an edit and a redaction on the other side", async () => {
    await send(anna.page, "Treffen um 10 Uhr");
    const own = message(anna.page, "Treffen um 10 Uhr");
    await waitVisible(own);
    await waitVisible(message(bernd.page, "Treffen um 10 Uhr"));
    await own.hover();
    await own.getByRole("button", { name: /bearbeiten/ }).click();
    await expect.poll(() => composer(anna.page).inputValue()).toBe("Treffen um 10 Uhr");
    await composer(anna.page).fill("Treffen um 11 Uhr");
    await composer(anna.page).press("Enter");
    const edited = message(bernd.page, "Treffen um 11 Uhr");
    await waitVisible(edited);
    await expect(edited.textContent()).resolves.toContain("(bearbeitet)");
    await expect(message(bernd.page, "Treffen um 10 Uhr").count()).resolves.toBe(0);

    await send(anna.page, "Versehentlich gesendet");
    const mistake = message(anna.page, "Versehentlich gesendet");
    // Confirmed by the server: the local echo's transaction id became an event id.
    await waitVisible(mistake.and(anna.page.locator('[data-event-id^="$"]')));
    const eventId = await mistake.getAttribute("data-event-id");
    await waitVisible(bernd.page.locator(`[data-event-id="${eventId}"]`));
    await mistake.hover();
    await mistake.getByRole("button", { name: /löschen/ }).click();
    await mistake.getByRole("button", { name: "Ja, löschen" }).click();
    const redacted = bernd.page.locator(`[data-event-id="${eventId}"][data-kind="redacted"]`);
    await waitVisible(redacted);
    await expect(redacted.textContent()).resolves.toContain("Nachricht gelöscht");
    await expect(message(bernd.page, "Versehentlich gesendet").count()).resolves.toBe(0);
  });

  it("round-trips an attachment through authenticated media: A uploads, B downloads the same bytes", async () => {
    const bytes = Buffer.from(`Protokoll der Baustellenrunde\n${"ä€ß-".repeat(2000)}\n`, "utf8");
    await chat(anna.page).getByTestId("chat-attach").setInputFiles({ name: "protokoll.txt", mimeType: "text/plain", buffer: bytes });
    const button = chat(bernd.page).getByRole("button", { name: /protokoll\.txt herunterladen/ });
    await waitVisible(button, 30_000);
    const [download] = await Promise.all([bernd.page.waitForEvent("download"), button.click()]);
    expect(download.suggestedFilename()).toBe("protokoll.txt");
    expect(Buffer.compare(fs.readFileSync(await download.path()), bytes)).toBe(0);
    // The media repository refuses the same file without the access token.
    const mxc = await (async () => {
      const { accessToken } = (await (await anna.page.request.get(`${stack.portalUrl}/api/matrix/session`)).json()) as { accessToken: string };
      const res = await fetch(`${hs}/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/messages?dir=b&limit=5`, {
        headers: { Authorization: `Bearer ${accessToken}` },
      });
      const { chunk } = (await res.json()) as { chunk: { content: { url?: string } }[] };
      return chunk.find((e) => e.content.url)!.content.url!;
    })();
    const unauthenticated = await fetch(`${hs}/_matrix/client/v1/media/download/${mxc.slice("mxc://".length)}`);
    expect(unauthenticated.status).toBe(401);
  });

  it("refuses an attachment over the size limit with a clear message", async () => {
    const tooBig = Buffer.alloc(20 * 1024 * 1024 + 1, 1);
    await chat(anna.page).getByTestId("chat-attach").setInputFiles({ name: "riesig.bin", mimeType: "application/octet-stream", buffer: tooBig });
    const error = chat(anna.page).getByTestId("chat-composer-error");
    await waitVisible(error);
    await expect(error.textContent()).resolves.toBe("Die Datei ist zu groß (20 MB). Erlaubt sind höchstens 20 MB.");
    await expect(message(anna.page, "riesig.bin").count()).resolves.toBe(0);
  });

  it("lists the members with their roles", async () => {
    const members = chat(bernd.page).getByTestId("member-list");
    await members.locator("summary").click();
    const anne = members.locator('li[data-user-id^="@anna.admin:"]');
    await waitVisible(anne);
    await expect(anne.getByTestId("member-role").textContent()).resolves.toBe("Organisation");
    await expect(members.locator('li[data-user-id^="@bernd.bauamt:"]').getByTestId("member-role").textContent()).resolves.toBe("Mitglied");
  });

  it("loads older history when scrolling up", async () => {
    const { accessToken } = (await (await anna.page.request.get(`${stack.portalUrl}/api/matrix/session`)).json()) as { accessToken: string };
    for (let i = 1; i <= 45; i++) {
      const txn = `history-${i}-${Date.now()}`;
      const res = await fetch(`${hs}/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/send/m.room.message/${txn}`, {
        method: "PUT",
        headers: { Authorization: `Bearer ${accessToken}`, "content-type": "application/json" },
        body: JSON.stringify({ msgtype: "m.text", body: `Verlauf ${String(i).padStart(2, "0")}` }),
      });
      expect(res.status).toBe(200);
    }
    // On a second device: Synapse answers a repeated initial sync of the same device from its
    // response cache for two minutes, and the catch-up would bring the whole history at once.
    const second = await person(browser, stack.portalUrl, "bernd.bauamt");
    const { page } = second;
    await openRoom(page, roomUrl);
    await waitVisible(message(page, "Verlauf 45"));
    await expect(message(page, "Verlauf 01").count()).resolves.toBe(0);
    const timeline = chat(page).getByTestId("chat-timeline");
    const start = chat(page).getByText("Anfang des Verlaufs");
    for (let round = 0; round < 20 && (await start.count()) === 0; round++) {
      await timeline.evaluate((el) => el.scrollTo({ top: 0 }));
      await page.waitForTimeout(400);
    }
    await waitVisible(start);
    await waitVisible(message(page, "Verlauf 01"));
    // Older messages come in above, in order.
    const bodies = await messages(page).allTextContents();
    const first = bodies.findIndex((b) => b.includes("Verlauf 01"));
    const last = bodies.findIndex((b) => b.includes("Verlauf 45"));
    expect(first).toBeGreaterThanOrEqual(0);
    expect(first).toBeLessThan(last);
    expect(second.roomPageProblems).toEqual([]);
    await second.context.close();
  });

  it("shows B an unread count on the dashboard for a new message while B is there", async () => {
    await openDashboardSynced(bernd.page, stack.portalUrl);
    await send(anna.page, "Bitte noch die Pläne prüfen");
    const badge = bernd.page.locator(`[data-testid="unread-badge"][data-room-id="${roomId}"]`);
    await waitVisible(badge);
    await expect(badge.locator(".sr-only").textContent()).resolves.toMatch(/^\d+ ungelesene Nachricht(en)?$/);
    expect(Number(await badge.locator('[aria-hidden="true"]').textContent())).toBeGreaterThanOrEqual(1);
    // Reading the room clears it.
    await openRoom(bernd.page, roomUrl);
    await waitVisible(message(bernd.page, "Bitte noch die Pläne prüfen"));
    await bernd.page.waitForTimeout(1_000);
    await openDashboardSynced(bernd.page, stack.portalUrl);
    await badge.waitFor({ state: "detached", timeout: LIVE_MS });
  });

  it("works on a phone-sized screen and passes axe with a loaded chat", async () => {
    await anna.page.setViewportSize({ width: 360, height: 740 });
    await openRoom(anna.page, roomUrl);
    await waitVisible(message(anna.page, "Verlauf 45"));
    const overflow = await anna.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await send(anna.page, "Vom Telefon aus");
    await waitVisible(message(anna.page, "Vom Telefon aus"));
    await chat(anna.page).getByTestId("member-list").locator("summary").click();
    expect(await seriousViolations(anna.page)).toEqual([]);
    await anna.page.setViewportSize({ width: 1280, height: 720 });
  });

  it("answers a non-member opening the room URL with 403", async () => {
    const clara = await signIn(browser, stack.portalUrl, "clara.kaemmerei");
    const res = await clara.page.goto(roomUrl);
    expect(res?.status()).toBe(403);
    await expect(clara.page.getByRole("region", { name: "Chat" }).count()).resolves.toBe(0);
    await clara.context.close();
  });

  it("had no console errors or CSP violations on the room pages", () => {
    expect(anna.roomPageProblems).toEqual([]);
    expect(bernd.roomPageProblems).toEqual([]);
  });
});
