import type { Browser, BrowserContext, Page } from "playwright-core";
import { DEMO_PASSWORD } from "../../../lib/dev-idp/demo-users";

/** Signs a demo user in through the portal's button and the development identity provider's form. */
export async function signIn(browser: Browser, portalUrl: string, username: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(portalUrl);
  await page.getByRole("button", { name: /Dienstkonto/ }).click();
  await page.locator("#username").fill(username);
  await page.locator("#password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: /^Anmelden/ }).click();
  // The dashboard keeps a Matrix sync request open, so "network idle" never comes: wait for the page itself.
  await page.waitForURL(
    (u) => u.origin === new URL(portalUrl).origin && !/^\/(api\/auth|matrix)\//.test(u.pathname),
    { timeout: 30_000 },
  );
  await page.waitForLoadState("load");
  return { context, page };
}

/** What the browser's own Matrix session says about itself, asked of the homeserver directly. */
export function browserWhoami(page: Page): Promise<{ status: number; userId?: string; whoami?: { user_id?: string; errcode?: string }; token?: string }> {
  return page.evaluate(async () => {
    const r = await fetch("/api/matrix/session");
    if (!r.ok) return { status: r.status };
    const s = (await r.json()) as { homeserverUrl: string; userId: string; accessToken: string };
    const w = await fetch(`${s.homeserverUrl}/_matrix/client/v3/account/whoami`, {
      headers: { Authorization: `Bearer ${s.accessToken}` },
    });
    return { status: r.status, userId: s.userId, whoami: await w.json(), token: s.accessToken };
  });
}
