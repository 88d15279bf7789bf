import fs from "node:fs";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { seriousViolations } from "./support/axe";
import { launchBrowser } from "./support/browser";
import { browserWhoami, signIn } from "./support/sign-in";
import { makeDataDir, stackEnv, startStack, type RunningStack, stackAdminToken } from "./support/stack-process";

const ROOM_NAME = "Bauausschuss Bürgerfragen";
const MODERATOR = "@bernd.bauamt:stadtfunk.test";

/**
 * The lobby of a link that requires admission: the guest waits on a page
 * that follows the moderator's decision by itself, Element users learn of
 * the waiting guest from a bot notice, and a rejected guest never enters.
 */
describe("guest lobby: admit and reject (whole stack, browser)", () => {
  const dataDir = makeDataDir();
  let stack: RunningStack;
  let browser: Browser;
  let hs: string;
  let adminToken: string;
  let db: pg.Client;
  let moderator: { context: BrowserContext; page: Page };
  let moderatorToken: string;
  let roomId: string;
  let guestUrl: string;
  const gaeste = () => `${stack.portalUrl}/rooms/${encodeURIComponent(roomId)}/gaeste`;

  /** The guest's membership as the homeserver's room state says (admin API), or null. */
  async function membershipOf(userId: string): Promise<string | null> {
    const res = await fetch(`${hs}/_synapse/admin/v1/rooms/${encodeURIComponent(roomId)}/state`, { headers: { Authorization: `Bearer ${adminToken}` } });
    const { state } = (await res.json()) as { state: { type: string; state_key: string; content: { membership?: string } }[] };
    return state.find((e) => e.type === "m.room.member" && e.state_key === userId)?.content.membership ?? null;
  }

  /** A guest in a separate browser accepts the rules with a name and lands on the waiting page. */
  async function arriveAsGuest(name: string): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(guestUrl);
    await page.getByTestId("usage-rules").waitFor({ timeout: 30_000 });
    await expect(page.locator("main").textContent()).resolves.toContain("Warteraum");
    await page.getByLabel("Ihr Anzeigename").fill(name);
    await page.getByRole("checkbox").check();
    await page.getByRole("button", { name: "Teilnehmen" }).click();
    await page.waitForURL(`${stack.portalUrl}/gast/raum`, { timeout: 30_000 });
    await page.getByTestId("guest-waiting").waitFor({ timeout: 30_000 });
    const userId = await page.evaluate(async () => ((await (await fetch("/api/guest/session")).json()) as { userId?: string }).userId ?? null);
    // A waiting guest holds no Matrix session yet (and is not in the room).
    expect(userId).toBeNull();
    const status = await page.evaluate(async () => (await fetch("/api/guest/status")).json());
    expect(status).toEqual({ status: "waiting", ready: false });
    expect(await seriousViolations(page)).toEqual([]);
    return { context, page };
  }

  /** The guest's entry under its link on the moderator's guest page. */
  const guestRow = (name: string) => moderator.page.locator("[data-link-status] li", { hasText: `${name} (Gast)` });

  /** The room's timeline as the moderator's own Matrix session reads it (client-server API, as Element does). */
  async function timeline(): Promise<{ type: string; sender: string; content: { msgtype?: string; body?: string } }[]> {
    const res = await fetch(`${hs}/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/messages?dir=b&limit=30`, {
      headers: { Authorization: `Bearer ${moderatorToken}` },
    });
    const body = (await res.json()) as { chunk?: { type: string; sender: string; content: { msgtype?: string; body?: string } }[] };
    if (!res.ok || !body.chunk) throw new Error(`messages: ${res.status} ${JSON.stringify(body)}`);
    return body.chunk;
  }

  /** The moderator's guest page lists this guest as waiting; returns the row. */
  async function waitingRow(name: string) {
    const row = guestRow(name).filter({ hasText: "wartet auf Einlass" });
    await expect.poll(async () => {
      await moderator.page.goto(gaeste());
      return row.count();
    }, { timeout: 20_000 }).toBe(1);
    return row;
  }

  beforeAll(async () => {
    const { env, ports } = await stackEnv(dataDir);
    stack = await startStack(env, ports);
    browser = await launchBrowser();
    hs = env.MATRIX_HOMESERVER_URL!;
    adminToken = stackAdminToken(dataDir);
    db = new pg.Client({ connectionString: `postgres://postgres:postgres@127.0.0.1:${ports.pglite}/postgres` });
    await db.connect();
    moderator = await signIn(browser, stack.portalUrl, "bernd.bauamt");
  });

  afterAll(async () => {
    await db?.end().catch(() => {});
    await browser?.close();
    await stack?.interrupt();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("a moderator creates a two-use link that requires admission", async () => {
    const { page } = moderator;
    await page.goto(`${stack.portalUrl}/rooms/new`);
    await page.locator('input[name="kind"][value="team"]').check();
    await page.locator("#name").fill(ROOM_NAME);
    await page.getByRole("button", { name: "Raum anlegen" }).click();
    await page.waitForURL((u) => u.pathname.startsWith("/rooms/") && u.pathname !== "/rooms/new", { timeout: 30_000 });
    roomId = decodeURIComponent(new URL(page.url()).pathname.split("/")[2]!);
    // The moderator's own Matrix session, as the portal holds it once the room page is open.
    const me = await browserWhoami(page);
    expect(me.whoami?.user_id).toBe(MODERATOR);
    moderatorToken = me.token!;
    // The room page's chat accepts the organiser's invitation; only then can the moderator read the timeline.
    await expect.poll(() => membershipOf(MODERATOR), { timeout: 20_000 }).toBe("join");

    await page.goto(gaeste());
    await page.locator("#label").fill("Anwohnende Radweg");
    await page.locator("#maxUses").fill("2");
    await page.getByLabel(/Die Moderation muss Gäste einlassen/).check();
    await page.getByRole("button", { name: "Gastlink erstellen" }).click();
    const url = page.getByTestId("guest-link-url");
    await url.waitFor({ timeout: 30_000 });
    guestUrl = await url.inputValue();
    await page.goto(gaeste());
    await expect(page.getByTestId("guest-links").textContent()).resolves.toContain("mit Warteraum");
  });

  it("an admitted guest's waiting page turns into the room with chat by itself", async () => {
    const guest = await arriveAsGuest("Gabi Gast");

    // Element users learn of the waiting guest from the bot's notice in the room's timeline.
    await expect.poll(async () => {
      return (await timeline())
        .filter((e) => e.type === "m.room.message" && e.content.msgtype === "m.notice" && e.sender.startsWith("@_stadtfunk_"))
        .map((e) => e.content.body);
    }, { timeout: 15_000 }).toContainEqual(`Gabi Gast (Gast) wartet auf Einlass. Zulassen oder ablehnen: ${gaeste()}`);

    const row = await waitingRow("Gabi Gast");
    expect(await seriousViolations(moderator.page)).toEqual([]);
    await row.getByRole("button", { name: "Einlassen" }).click();
    await guestRow("Gabi Gast").filter({ hasText: "im Raum" }).waitFor({ timeout: 30_000 });

    // No reload by the test: the waiting page follows the decision on its own.
    const chat = guest.page.getByRole("region", { name: "Chat" });
    const composer = chat.getByRole("textbox", { name: /Nachricht schreiben/ });
    await composer.waitFor({ timeout: 30_000 });
    await expect(guest.page.getByTestId("guest-room-name").textContent()).resolves.toBe(ROOM_NAME);
    await expect(guest.page.getByTestId("guest-waiting").count()).resolves.toBe(0);

    const userId = await guest.page.evaluate(async () => ((await (await fetch("/api/guest/session")).json()) as { userId: string }).userId);
    expect(userId).toMatch(/^@_stadtfunk_guest_[0-9a-f]+:stadtfunk\.test$/);
    expect(await membershipOf(userId)).toBe("join");

    // The guest chats, and the moderator reads it through the homeserver.
    await composer.fill("Danke fürs Einlassen.");
    await composer.press("Enter");
    await expect.poll(async () => {
      return (await timeline()).some((e) => e.sender === userId && e.content.body === "Danke fürs Einlassen.");
    }, { timeout: 20_000 }).toBe(true);
    await guest.context.close();
  });

  it("a rejected guest gets the refusal page by itself and never enters the room", async () => {
    const guest = await arriveAsGuest("Rudi Abgelehnt");
    const row = await waitingRow("Rudi Abgelehnt");
    // The guest's account exists already (made while waiting): its id, to check the homeserver afterwards.
    const { rows } = await db.query<{ matrix_user_id: string }>("select matrix_user_id from guests where display_name = 'Rudi Abgelehnt'");
    expect(rows).toHaveLength(1);
    const rudi = rows[0]!.matrix_user_id;

    await row.getByRole("button", { name: "Ablehnen" }).click();
    await guestRow("Rudi Abgelehnt").filter({ hasText: "abgelehnt" }).waitFor({ timeout: 30_000 });

    await guest.page.getByTestId("guest-rejected").waitFor({ timeout: 30_000 });
    await expect(guest.page.locator("main").textContent()).resolves.toContain("nicht zugelassen");
    await expect(guest.page.locator("#guest-chat").count()).resolves.toBe(0);
    expect(await seriousViolations(guest.page)).toEqual([]);
    expect(await guest.page.evaluate(async () => (await fetch("/api/guest/session")).status)).toBe(401);

    expect(await membershipOf(rudi)).not.toBe("join");
    // The account is deactivated at once: no token of it opens anything any more.
    await expect.poll(async () => {
      const res = await fetch(`${hs}/_synapse/admin/v2/users/${encodeURIComponent(rudi)}`, { headers: { Authorization: `Bearer ${adminToken}` } });
      return ((await res.json()) as { deactivated?: boolean }).deactivated;
    }, { timeout: 15_000 }).toBe(true);
    await guest.context.close();
  });
});
