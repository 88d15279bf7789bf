import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { seriousViolations } from "./support/axe";
import { launchBrowser } from "./support/browser";
import { signIn } from "./support/sign-in";
import { makeDataDir, stackEnv, startStack, type RunningStack } from "./support/stack-process";

describe("accessibility (WCAG 2.1 AA, checked with axe) and small screens", () => {
  const dataDir = makeDataDir();
  let stack: RunningStack;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let roomUrl: string;

  beforeAll(async () => {
    const { env, ports } = await stackEnv(dataDir);
    stack = await startStack(env, ports);
    browser = await launchBrowser();
    ({ context, page } = await signIn(browser, stack.portalUrl, "clara.kaemmerei"));
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.interrupt();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("the start page for signed-out visitors", async () => {
    const anonContext = await browser.newContext();
    const anon = await anonContext.newPage();
    await anon.goto(stack.portalUrl);
    expect(await seriousViolations(anon)).toEqual([]);
    await anonContext.close();
  });

  it("the accessibility statement, reachable from every page, with a feedback contact", async () => {
    await page.goto(stack.portalUrl);
    await page.getByRole("link", { name: "Barrierefreiheit" }).click();
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe("Erklärung zur Barrierefreiheit");
    await expect(page.locator('a[href^="mailto:"]').count()).resolves.toBe(1);
    expect(await seriousViolations(page)).toEqual([]);
  });

  it("the dashboard", async () => {
    await page.goto(stack.portalUrl);
    expect(await seriousViolations(page)).toEqual([]);
  });

  it("the new-room form, including its error messages", async () => {
    await page.goto(`${stack.portalUrl}/rooms/new`);
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole("button", { name: "Raum anlegen" }).click();
    await page.getByTestId("form-message").waitFor();
    await expect(page.locator("#name").getAttribute("aria-invalid")).resolves.toBe("true");
    expect(await seriousViolations(page)).toEqual([]);
  });

  it("the room page of a meeting created through the form", async () => {
    await page.goto(`${stack.portalUrl}/rooms/new`);
    await page.locator("#name").fill("Haushaltsrunde");
    await page.locator("#startsAt").fill("2026-12-02T14:00");
    await page.locator("#endsAt").fill("2026-12-02T15:00");
    await page.getByRole("button", { name: "Raum anlegen" }).click();
    await page.waitForURL(/\/rooms\/(!|%21)/);
    roomUrl = page.url();
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe("Haushaltsrunde");
    expect(await seriousViolations(page)).toEqual([]);
  });

  it("works on a phone-sized screen without sideways scrolling", async () => {
    const phone = await context.newPage();
    await phone.setViewportSize({ width: 360, height: 740 });
    for (const url of [stack.portalUrl, `${stack.portalUrl}/rooms/new`, roomUrl]) {
      await phone.goto(url);
      const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, url).toBeLessThanOrEqual(0);
    }
    await phone.close();
  });

  it("lists the new meeting on the dashboard with its calendar file", async () => {
    await page.goto(stack.portalUrl);
    await expect(page.getByRole("link", { name: "Haushaltsrunde", exact: true }).isVisible()).resolves.toBe(true);
    const ics = await page.request.get(`${roomUrl}/termin.ics`);
    expect(ics.status()).toBe(200);
    expect(ics.headers()["content-type"]).toContain("text/calendar");
    expect(await ics.text()).toContain("SUMMARY:Haushaltsrunde");
  });
});
