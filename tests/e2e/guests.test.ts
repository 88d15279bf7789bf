import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { launchBrowser } from "./support/browser";
import { signIn } from "./support/sign-in";
import { makeDataDir, stackEnv, startStack, type RunningStack, stackAdminToken } from "./support/stack-process";

/** A Berlin wall-clock datetime-local value `days` from now (the meeting lies ahead, so its links are valid). */
function localInDays(days: number, hour: number): string {
  const d = new Date(Date.now() + days * 86_400_000);
  return `${d.toISOString().slice(0, 10)}T${String(hour).padStart(2, "0")}:00`;
}

describe("external guests by invite link (whole stack, browser)", () => {
  const dataDir = makeDataDir();
  let stack: RunningStack;
  let browser: Browser;
  let hs: string;
  let adminToken: string;
  let staff: { context: BrowserContext; page: Page };
  let roomId: string;
  let guestUrl: string;
  let guest: { context: BrowserContext; page: Page };
  let guestToken: string;

  beforeAll(async () => {
    const { env, ports } = await stackEnv(dataDir);
    stack = await startStack(env, ports);
    browser = await launchBrowser();
    hs = env.MATRIX_HOMESERVER_URL!;
    adminToken = stackAdminToken(dataDir);
    staff = await signIn(browser, stack.portalUrl, "anna.admin");
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.interrupt();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("staff create a single-use link on the room's guest page; it is shown once", async () => {
    const { page } = staff;
    await page.goto(`${stack.portalUrl}/rooms/new`);
    await page.locator('input[name="kind"][value="meeting"]').check();
    await page.locator("#name").fill("Bürgersprechstunde Radweg");
    await page.locator("#startsAt").fill(localInDays(1, 10));
    await page.locator("#endsAt").fill(localInDays(1, 11));
    await page.getByRole("button", { name: "Raum anlegen" }).click();
    await page.waitForURL(/\/rooms\/(!|%21)/, { timeout: 30_000 });
    roomId = decodeURIComponent(new URL(page.url()).pathname.split("/")[2]!);

    await page.goto(`${stack.portalUrl}/rooms/${encodeURIComponent(roomId)}/gaeste`);
    await page.locator("#label").fill("Frau Beispiel");
    await page.getByRole("button", { name: "Gastlink erstellen" }).click();
    const url = page.getByTestId("guest-link-url");
    await url.waitFor({ timeout: 30_000 });
    guestUrl = await url.inputValue();
    await expect(page.getByTestId("guest-link-qr").evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).resolves.toBe(true);
    expect(guestUrl).toMatch(new RegExp(`^${stack.portalUrl}/gast#[A-Za-z0-9_-]{43}$`));
    await page.reload();
    await expect(page.getByTestId("guest-link-url").count()).resolves.toBe(0);
    await expect(page.getByTestId("guest-links").textContent()).resolves.toContain("0 von 1 genutzt");
  });

  it("a guest in a separate browser accepts the rules with a name and lands in the room", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    guest = { context, page };
    await page.goto(guestUrl);
    await page.getByTestId("usage-rules").waitFor({ timeout: 30_000 });
    // The secret left the address bar as soon as the page had read it.
    expect(page.url()).toBe(`${stack.portalUrl}/gast`);
    await expect(page.getByRole("heading", { level: 2 }).first().textContent()).resolves.toContain("Bürgersprechstunde Radweg");

    await page.getByLabel("Ihr Anzeigename").fill("Gabi Gast");
    await page.getByRole("button", { name: "Teilnehmen" }).click();
    await expect(page.locator("main [role=alert]").textContent()).resolves.toContain("Nutzungsregeln");
    await page.getByRole("checkbox").check();
    await page.getByRole("button", { name: "Teilnehmen" }).click();
    await page.waitForURL(`${stack.portalUrl}/gast/raum`, { timeout: 30_000 });
    await expect(page.getByTestId("guest-room-name").textContent()).resolves.toBe("Bürgersprechstunde Radweg");
    await expect(page.locator("#guest-chat").count()).resolves.toBe(1);

    const cookies = await context.cookies();
    const session = cookies.find((c) => c.name === "stadtfunk-gast");
    expect(session).toMatchObject({ httpOnly: true, sameSite: "Lax" });

    const me = await page.evaluate(async () => {
      const r = await fetch("/api/guest/session");
      const s = (await r.json()) as { homeserverUrl: string; userId: string; accessToken: string; roomId: string };
      const w = await fetch(`${s.homeserverUrl}/_matrix/client/v3/account/whoami`, { headers: { Authorization: `Bearer ${s.accessToken}` } });
      return { userId: s.userId, roomId: s.roomId, token: s.accessToken, whoami: ((await w.json()) as { user_id: string }).user_id };
    });
    guestToken = me.token;
    expect(me.userId).toMatch(/^@_stadtfunk_guest_[0-9a-f]+:stadtfunk\.test$/);
    expect(me.whoami).toBe(me.userId);
    expect(me.roomId).toBe(roomId);

    const member = await fetch(`${hs}/_synapse/admin/v1/rooms/${encodeURIComponent(roomId)}/state`, { headers: { Authorization: `Bearer ${adminToken}` } });
    const { state } = (await member.json()) as { state: { type: string; state_key: string; content: Record<string, unknown> }[] };
    const own = state.find((e) => e.type === "m.room.member" && e.state_key === me.userId);
    expect(own?.content).toMatchObject({ membership: "join", displayname: "Gabi Gast (Gast)" });

    // The guest chats in the room with its own, module-confined account.
    const chat = page.getByRole("region", { name: "Chat" });
    const composer = chat.getByRole("textbox", { name: /Nachricht schreiben/ });
    await composer.waitFor({ timeout: 30_000 });
    await composer.fill("Guten Tag, hier ist Gabi.");
    await composer.press("Enter");
    await expect.poll(async () => {
      const res = await fetch(
        `${hs}/_synapse/admin/v1/rooms/${encodeURIComponent(roomId)}/messages?dir=b&limit=10`,
        { headers: { Authorization: `Bearer ${adminToken}` } },
      );
      const { chunk } = (await res.json()) as { chunk: { sender: string; content: { body?: string } }[] };
      return chunk.some((e) => e.sender === me.userId && e.content.body === "Guten Tag, hier ist Gabi.");
    }, { timeout: 20_000 }).toBe(true);
  });

  it("the guest cannot open staff pages of the room (redirect, no room content)", async () => {
    const { page } = guest;
    for (const p of [`/rooms/${encodeURIComponent(roomId)}`, `/rooms/${encodeURIComponent(roomId)}/gaeste`, "/rooms/new"]) {
      const res = await page.goto(`${stack.portalUrl}${p}`);
      const landed = new URL(page.url()).pathname;
      expect(landed === "/" || res?.status() === 403).toBe(true);
      await expect(page.content()).resolves.not.toContain("Bürgersprechstunde Radweg");
    }
  });

  it("a used-up link gives everyone else the generic page", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(guestUrl);
    await page.getByTestId("guest-link-invalid").waitFor({ timeout: 30_000 });
    await context.close();
  });

  it("revocation ends the guest's access and Matrix session", async () => {
    const { page } = staff;
    await page.goto(`${stack.portalUrl}/rooms/${encodeURIComponent(roomId)}/gaeste`);
    await page.getByRole("button", { name: "Widerrufen und Gäste entfernen" }).click();
    await page.waitForSelector('[data-link-status="revoked"]', { timeout: 30_000 });

    await guest.page.goto(`${stack.portalUrl}/gast/raum`);
    await guest.page.getByTestId("guest-no-access").waitFor();
    const status = await guest.page.evaluate(async () => (await fetch("/api/guest/session")).status);
    expect(status).toBe(401);
    const whoami = await fetch(`${hs}/_matrix/client/v3/account/whoami`, { headers: { Authorization: `Bearer ${guestToken}` } });
    expect(whoami.status).toBe(401);
    await guest.context.close();
  });

  it("refuses cross-site posts and throttles an address that keeps guessing (429 with Retry-After)", async () => {
    const post = (body: unknown, headers: Record<string, string> = {}) =>
      fetch(`${stack.portalUrl}/api/guest/look-up`, { method: "POST", headers: { "Content-Type": "application/json", ...headers }, body: JSON.stringify(body) });
    expect((await post({ secret: "x" }, { Origin: "https://evil.example" })).status).toBe(403);
    expect((await post({ secret: "x" }, { "Content-Type": "text/plain" })).status).toBe(415);
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 15; i++) {
      const res = await post({ secret: `${"Z".repeat(40)}${String(i).padStart(3, "0")}` });
      statuses.push(res.status);
      if (res.status === 429) retryAfter = res.headers.get("retry-after");
    }
    expect(statuses.slice(0, 5).every((s) => s === 404)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
    expect(Number(retryAfter)).toBeGreaterThan(0);
  });
});
