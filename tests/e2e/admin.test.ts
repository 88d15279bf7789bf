import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { seriousViolations } from "./support/axe";
import { launchBrowser } from "./support/browser";
import { signIn } from "./support/sign-in";
import { makeDataDir, stackEnv, startStack, type RunningStack } from "./support/stack-process";

/**
 * The admin area as city IT uses it: every page the admin navigation offers
 * (read from the navigation itself, so a new admin page is covered as soon
 * as it adds its entry), accessible, reachable for admins only, and the
 * actions that matter across pages: publishing usage rules that guests then
 * see, and finding that publication in the audit trail and its CSV.
 */
describe("admin area (whole stack, browser)", () => {
  const dataDir = makeDataDir();
  let stack: RunningStack;
  let browser: Browser;
  let admin: { context: BrowserContext; page: Page };
  let adminPages: { href: string; label: string }[] = [];
  let publishedVersion: number;
  const marker = `Bitte fotografieren Sie keine Bildschirme (Prüfzeichen ${Date.now().toString(36)}).`;

  /** The entries of the admin navigation on the current page. */
  const navEntries = (page: Page) =>
    page.getByRole("navigation", { name: "Administration" }).getByRole("link").evaluateAll((links) =>
      links.map((a) => ({ href: new URL((a as HTMLAnchorElement).href).pathname, label: (a.textContent ?? "").trim() })),
    );

  beforeAll(async () => {
    const { env, ports } = await stackEnv(dataDir);
    stack = await startStack(env, ports);
    browser = await launchBrowser();
    admin = await signIn(browser, stack.portalUrl, "anna.admin");
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.interrupt();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("the admin reaches the admin area from the dashboard and every page of its navigation passes axe", async () => {
    const { page } = admin;
    await page.goto(stack.portalUrl);
    await page.getByRole("link", { name: "Verwaltung: Personen und Zugänge" }).click();
    await page.waitForURL(`${stack.portalUrl}/admin/people`);
    adminPages = await navEntries(page);
    expect(adminPages.length).toBeGreaterThan(0);
    expect(adminPages.map((p) => p.href)).toEqual(expect.arrayContaining(["/admin/people", "/admin/nutzungsregeln", "/admin/protokoll"]));

    const problems: string[] = [];
    for (const entry of adminPages) {
      const res = await page.goto(`${stack.portalUrl}${entry.href}`);
      expect(res?.status(), entry.href).toBe(200);
      expect(new URL(page.url()).pathname, entry.href).toBe(entry.href);
      await expect(page.getByRole("heading", { level: 1 }).isVisible(), entry.href).resolves.toBe(true);
      // Every page carries the same navigation and marks itself as the current entry.
      expect(await navEntries(page), entry.href).toEqual(adminPages);
      const current = page.getByRole("navigation", { name: "Administration" }).locator('a[aria-current="page"]');
      await expect(current.textContent(), entry.href).resolves.toBe(entry.label);
      problems.push(...(await seriousViolations(page)).map((v) => `${entry.href}: ${v}`));
    }
    expect(problems).toEqual([]);
  });

  it("staff without the admin role get 403 on every admin page", async () => {
    const staff = await signIn(browser, stack.portalUrl, "bernd.bauamt");
    for (const { href } of adminPages) {
      const res = await staff.page.goto(`${stack.portalUrl}${href}`);
      expect(res?.status(), href).toBe(403);
      await expect(staff.page.getByRole("navigation", { name: "Administration" }).count(), href).resolves.toBe(0);
    }
    const csv = await staff.page.request.get(`${stack.portalUrl}/admin/protokoll/export?aktion=rules.`);
    expect(csv.status()).toBe(403);
    await staff.context.close();
  });

  it("publishing a new usage-rules version: the guest landing page shows it at once", async () => {
    const { page } = admin;
    await page.goto(`${stack.portalUrl}/admin/nutzungsregeln`);
    const inForce = Number(/In Kraft: Version (\d+)/.exec((await page.locator("main").textContent()) ?? "")?.[1]);
    expect(inForce).toBeGreaterThan(0);
    const textDe = page.getByLabel("Nutzungsregeln (Deutsch)");
    await textDe.fill(`${await textDe.inputValue()}\n\n${marker}`);
    await page.getByRole("button", { name: "Als neue Version veröffentlichen" }).click();
    const status = page.getByRole("status").filter({ hasText: "ist veröffentlicht" });
    await status.waitFor({ timeout: 30_000 });
    publishedVersion = inForce + 1;
    await expect(status.textContent()).resolves.toContain(`Version ${publishedVersion} ist veröffentlicht`);
    expect(await seriousViolations(page)).toEqual([]);
    // The form keeps the published texts and the page names the new version, without a reload.
    await expect(textDe.inputValue()).resolves.toContain(marker);
    await page.locator("main", { hasText: `In Kraft: Version ${publishedVersion}` }).waitFor({ timeout: 10_000 });

    // Pressing the button again with the same texts publishes nothing (it never falls back to the old texts).
    await page.getByRole("button", { name: "Als neue Version veröffentlichen" }).click();
    await page.getByTestId("form-message").filter({ hasText: "unverändert" }).waitFor({ timeout: 30_000 });
    await page.reload();
    await expect(page.locator("main").textContent()).resolves.toContain(`In Kraft: Version ${publishedVersion}`);

    // A guest opening a fresh link reads exactly this version.
    await page.goto(`${stack.portalUrl}/rooms/new`);
    await page.locator('input[name="kind"][value="team"]').check();
    await page.locator("#name").fill("IT-Sprechstunde");
    await page.getByRole("button", { name: "Raum anlegen" }).click();
    await page.waitForURL((u) => u.pathname.startsWith("/rooms/") && u.pathname !== "/rooms/new", { timeout: 30_000 });
    await page.goto(`${page.url()}/gaeste`);
    await page.getByRole("button", { name: "Gastlink erstellen" }).click();
    const url = page.getByTestId("guest-link-url");
    await url.waitFor({ timeout: 30_000 });
    const guestContext = await browser.newContext();
    const guest = await guestContext.newPage();
    await guest.goto(await url.inputValue());
    const rules = guest.getByTestId("usage-rules");
    await rules.waitFor({ timeout: 30_000 });
    await expect(guest.locator("summary", { hasText: "Nutzungsregeln" }).textContent()).resolves.toContain(`Fassung ${publishedVersion}`);
    await expect(rules.textContent()).resolves.toContain(marker);
    await guestContext.close();
  });

  it("the audit trail filtered for rules. lists the publication, and its CSV carries it", async () => {
    const { page } = admin;
    await page.goto(`${stack.portalUrl}/admin/protokoll`);
    await page.getByLabel("Aktion (Anfang)").fill("rules.");
    await page.getByRole("button", { name: "Filtern" }).click();
    await page.waitForURL((u) => u.pathname === "/admin/protokoll" && u.searchParams.get("aktion") === "rules.");
    const actions = await page.locator("tbody tr td:nth-child(2)").allTextContents();
    expect(actions.length).toBeGreaterThan(0);
    expect(actions.every((a) => a.includes("rules.") || a.startsWith("Nutzungsregeln"))).toBe(true);
    expect(actions.some((a) => a.includes("Nutzungsregeln veröffentlicht"))).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);

    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Gefilterte Einträge als CSV herunterladen" }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^protokoll-rules-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = fs.readFileSync((await download.path())!, "utf8");
    const lines = csv.replace(/^\uFEFF/, "").split("\r\n").filter(Boolean);
    expect(lines[0]).toBe("Nr.,Zeitpunkt (UTC),Zeitpunkt (Berlin),Aktion,Bezeichnung,Handelnd,Betroffen,Details");
    const published = lines.filter((l) => l.includes(",rules.published,Nutzungsregeln veröffentlicht,"));
    expect(published.some((l) => l.includes(`usage-rules:${publishedVersion}`))).toBe(true);
    expect(lines.slice(1).every((l) => /,rules\.[a-z.-]+,/.test(l))).toBe(true);
  });
});
