import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { DEMO_PASSWORD } from "../../lib/dev-idp/demo-users";
import { launchBrowser } from "./support/browser";
import { browserWhoami, signIn } from "./support/sign-in";
import { makeDataDir, stackEnv, startStack, type RunningStack, stackAdminToken } from "./support/stack-process";

const SERVER = "stadtfunk.test";

describe("sign-in through the city's SSO, one Matrix identity per person", () => {
  const dataDir = makeDataDir();
  let stack: RunningStack;
  let browser: Browser;
  let hs: string;
  let adminToken: string;

  const admin = async (p: string) => {
    const res = await fetch(`${hs}${p}`, { headers: { Authorization: `Bearer ${adminToken}` } });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    const { env, ports } = await stackEnv(dataDir);
    stack = await startStack(env, ports);
    browser = await launchBrowser();
    hs = env.MATRIX_HOMESERVER_URL!;
    adminToken = stackAdminToken(dataDir);
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.interrupt();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("signs staff in and gives the browser a Matrix session without a second prompt", async () => {
    const { context, page } = await signIn(browser, stack.portalUrl, "anna.admin");
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe("Willkommen, Anna Admin");
    await expect(page.getByTestId("matrix-user-id").textContent()).resolves.toBe(`@anna.admin:${SERVER}`);
    const me = await browserWhoami(page);
    expect(me.whoami?.user_id).toBe(`@anna.admin:${SERVER}`);
    await context.close();
  });

  it("signs the same person in again as the same Matrix user, without a duplicate account", async () => {
    const { context, page } = await signIn(browser, stack.portalUrl, "anna.admin");
    expect((await browserWhoami(page)).whoami?.user_id).toBe(`@anna.admin:${SERVER}`);
    const list = await admin(`/_synapse/admin/v2/users?name=anna&guests=false`);
    expect(list.body.total).toBe(1);
    const user = await admin(`/_synapse/admin/v2/users/${encodeURIComponent(`@anna.admin:${SERVER}`)}`);
    expect(user.body.external_ids).toEqual([
      { auth_provider: "oidc-stadtfunk", external_id: "ce5346e9-61e3-4228-8bc4-5a9430625dcb" },
    ]);
    await context.close();
  });

  it("an account first created through Synapse's own SSO login (as Element does) is the portal's account", async () => {
    const element = await browser.newContext();
    const page = await element.newPage();
    await page.goto(
      `${hs}/_matrix/client/v3/login/sso/redirect/oidc-stadtfunk?redirectUrl=${encodeURIComponent(`${stack.portalUrl}/`)}`,
    );
    await page.locator("#username").fill("clara.kaemmerei");
    await page.locator("#password").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: /^Anmelden/ }).click();
    await page.waitForURL((url) => url.searchParams.has("loginToken"));
    const loginToken = new URL(page.url()).searchParams.get("loginToken");
    const res = await fetch(`${hs}/_matrix/client/v3/login`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ type: "m.login.token", token: loginToken }),
    });
    const elementLogin = (await res.json()) as { user_id: string };
    expect(elementLogin.user_id).toBe(`@clara.kaemmerei:${SERVER}`);
    await element.close();

    const { context, page: portal } = await signIn(browser, stack.portalUrl, "clara.kaemmerei");
    expect((await browserWhoami(portal)).whoami?.user_id).toBe(elementLogin.user_id);
    expect((await admin(`/_synapse/admin/v2/users?name=clara&guests=false`)).body.total).toBe(1);
    await context.close();
  });

  it("refuses a person outside the allowed groups, in the portal and through Synapse's own SSO", async () => {
    const { context, page } = await signIn(browser, stack.portalUrl, "erika.extern");
    expect(new URL(page.url()).pathname).toBe("/kein-zugang");
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe("Kein Zugang zu Stadtfunk");

    // As Element would: Synapse's SSO redirect, reusing erika's session at the identity provider.
    const res = await page.goto(
      `${hs}/_matrix/client/v3/login/sso/redirect/oidc-stadtfunk?redirectUrl=${encodeURIComponent(`${stack.portalUrl}/`)}`,
    );
    expect(res?.status()).toBeGreaterThanOrEqual(400);
    expect(new URL(page.url()).origin).not.toBe(new URL(stack.portalUrl).origin);
    const account = await admin(`/_synapse/admin/v2/users/${encodeURIComponent(`@erika.extern:${SERVER}`)}`);
    expect(account.status).toBe(404);
    await context.close();
  });

  it("rejects a tampered Matrix login state and a forged OIDC callback", async () => {
    const { context, page } = await signIn(browser, stack.portalUrl, "bernd.bauamt");
    await page.goto(`${stack.portalUrl}/matrix/callback?state=forged&loginToken=forged`);
    expect(page.url()).toContain("/anmeldung-fehlgeschlagen?error=matrix-state");

    const fresh = await browser.newContext();
    const p2 = await fresh.newPage();
    await p2.goto(`${stack.portalUrl}/api/auth/callback/oidc?code=forged&state=forged`);
    expect(new URL(p2.url()).pathname).toBe("/anmeldung-fehlgeschlagen");
    await expect(p2.getByTestId("matrix-user-id").count()).resolves.toBe(0);
    await Promise.all([context.close(), fresh.close()]);
  });

  it.each([
    "https://evil.example/phish",
    "//evil.example/phish",
    "/\\evil.example",
  ])("never redirects off the portal (next=%s)", async (target) => {
    const { context, page } = await signIn(browser, stack.portalUrl, "bernd.bauamt");
    await page.goto(`${stack.portalUrl}/matrix/connect?next=${encodeURIComponent(target)}`);
    expect(new URL(page.url()).origin).toBe(new URL(stack.portalUrl).origin);
    const callback = await page.request.get(
      `${stack.portalUrl}/api/auth/signin/oidc?callbackUrl=${encodeURIComponent(target)}`,
      { maxRedirects: 0 },
    );
    expect(callback.headers().location ?? "").not.toContain("evil.example");
    await context.close();
  });

  it("signs out: the portal session ends and the Matrix token is dead", async () => {
    const { context, page } = await signIn(browser, stack.portalUrl, "dieter.bauamt");
    const before = await browserWhoami(page);
    expect(before.whoami?.user_id).toBe(`@dieter.bauamt:${SERVER}`);

    await page.getByRole("button", { name: "Abmelden" }).click();
    const confirm = page.getByRole("button", { name: /Ja, abmelden/ });
    if (await confirm.isVisible({ timeout: 5_000 }).catch(() => false)) await confirm.click();
    await page.waitForURL(`${stack.portalUrl}/`);
    await expect(page.getByRole("button", { name: /Dienstkonto/ }).isVisible()).resolves.toBe(true);

    const after = await fetch(`${hs}/_matrix/client/v3/account/whoami`, {
      headers: { Authorization: `Bearer ${before.token}` },
    });
    expect(after.status).toBe(401);
    expect(((await after.json()) as { errcode: string }).errcode).toBe("M_UNKNOWN_TOKEN");
    expect((await browserWhoami(page)).status).toBe(401);
    await context.close();
  });

  it("keeps tokens and cookies out of the logs", () => {
    const logs = fs
      .readdirSync(path.join(dataDir, "logs"))
      .map((f) => fs.readFileSync(path.join(dataDir, "logs", f), "utf8"))
      .join("\n");
    expect(logs).not.toMatch(/syt_[A-Za-z0-9]/);
    expect(logs).not.toContain(adminToken);
    expect(logs).not.toMatch(/eyJ[A-Za-z0-9_-]{20,}\./);
  });
});
