import fs from "node:fs";
import pg from "pg";
import type { Browser, BrowserContext, Page, Route } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser } from "./support/browser";
import { browserWhoami, signIn } from "./support/sign-in";
import { makeDataDir, stackEnv, startStack, type RunningStack, stackAdminToken } from "./support/stack-process";

const SERVER = "stadtfunk.test";
const DIETER = `@dieter.bauamt:${SERVER}`;
const ANNA = `@anna.admin:${SERVER}`;

describe("leavers and back-channel logout", () => {
  const dataDir = makeDataDir();
  let stack: RunningStack;
  let browser: Browser;
  let db: pg.Client;
  let hs: string;
  let idp: string;
  let adminToken: string;

  const admin = async (p: string) => {
    const res = await fetch(`${hs}${p}`, { headers: { Authorization: `Bearer ${adminToken}` } });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const whoami = async (token: string) => {
    const res = await fetch(`${hs}/_matrix/client/v3/account/whoami`, { headers: { Authorization: `Bearer ${token}` } });
    return { status: res.status, body: (await res.json()) as { user_id?: string; errcode?: string } };
  };

  /**
   * Signs in as Element does: Synapse's SSO redirect, the identity provider
   * (reusing the browser's session there), back with a loginToken, then
   * POST /login. The redirect target is answered by the test, not the portal.
   */
  async function elementLogin(context: BrowserContext): Promise<{ status: number; body: Record<string, unknown> }> {
    const target = `${stack.portalUrl}/element-stand-in`;
    const isTarget = (u: URL) => u.href.startsWith(target);
    const answer = (route: Route) => route.fulfill({ status: 200, contentType: "text/plain", body: "ok" });
    await context.route(isTarget, answer);
    const page = await context.newPage();
    await page.goto(`${hs}/_matrix/client/v3/login/sso/redirect/oidc-stadtfunk?redirectUrl=${encodeURIComponent(target)}`);
    await page.waitForURL(isTarget, { timeout: 30_000 });
    const loginToken = new URL(page.url()).searchParams.get("loginToken");
    await page.close();
    await context.unroute(isTarget, answer);
    expect(loginToken).toBeTruthy();
    const res = await fetch(`${hs}/_matrix/client/v3/login`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ type: "m.login.token", token: loginToken, initial_device_display_name: "Element (Test)" }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  async function createTeamRoom(page: Page, name: string): Promise<string> {
    await page.goto(`${stack.portalUrl}/rooms/new`);
    await page.locator('input[name="kind"][value="team"]').check();
    await page.locator("#name").fill(name);
    await page.getByRole("button", { name: "Raum anlegen" }).click();
    await page.waitForURL((url) => url.pathname.startsWith("/rooms/") && url.pathname !== "/rooms/new", { timeout: 30_000 });
    return decodeURIComponent(new URL(page.url()).pathname.split("/")[2]!);
  }

  beforeAll(async () => {
    const { env, ports } = await stackEnv(dataDir);
    stack = await startStack(env, ports);
    browser = await launchBrowser();
    hs = env.MATRIX_HOMESERVER_URL!;
    idp = env.OIDC_ISSUER!;
    adminToken = stackAdminToken(dataDir);
    db = new pg.Client({ connectionString: `postgres://postgres:postgres@127.0.0.1:${ports.pglite}/postgres` });
    await db.connect();
  });

  afterAll(async () => {
    await db?.end().catch(() => {});
    await browser?.close();
    await stack?.interrupt();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("an admin locks a leaver: portal and Element sessions end, sign-in is refused, rooms get a new admin, audited", async () => {
    const annaSide = await signIn(browser, stack.portalUrl, "anna.admin");
    expect((await browserWhoami(annaSide.page)).whoami?.user_id).toBe(ANNA);

    const dieterSide = await signIn(browser, stack.portalUrl, "dieter.bauamt");
    const portalMatrix = await browserWhoami(dieterSide.page);
    expect(portalMatrix.whoami?.user_id).toBe(DIETER);
    const roomId = await createTeamRoom(dieterSide.page, "Bauamt Übergabe");
    const element = await elementLogin(dieterSide.context);
    expect(element.status).toBe(200);
    const elementToken = element.body.access_token as string;
    expect((await whoami(elementToken)).body.user_id).toBe(DIETER);

    // Anna locks Dieter's access on the admin page.
    const { page } = annaSide;
    // Reached as an admin would: from the dashboard.
    await page.goto(stack.portalUrl);
    await page.getByRole("link", { name: "Verwaltung: Personen und Zugänge" }).click();
    await page.waitForURL(`${stack.portalUrl}/admin/people`);
    await page.getByRole("row", { name: /Dieter Dach/ }).getByRole("button", { name: "Zugang sperren" }).click();
    await page.getByRole("button", { name: "Zugang jetzt sperren" }).click();
    await expect(page.getByRole("status").textContent({ timeout: 30_000 })).resolves.toBe("Zugang von Dieter Dach gesperrt.");

    // Element's token and the portal's Matrix token are dead; the account is locked with no devices left.
    for (const token of [elementToken, portalMatrix.token!]) {
      const r = await whoami(token);
      expect(r.status).toBe(401);
      expect(["M_UNKNOWN_TOKEN", "M_USER_LOCKED"]).toContain(r.body.errcode);
    }
    const account = await admin(`/_synapse/admin/v2/users/${encodeURIComponent(DIETER)}`);
    expect(account.body.locked).toBe(true);
    expect((await admin(`/_synapse/admin/v2/users/${encodeURIComponent(DIETER)}/devices`)).body.total).toBe(0);

    // The portal session is gone.
    expect((await browserWhoami(dieterSide.page)).status).toBe(401);
    await dieterSide.page.goto(stack.portalUrl);
    await expect(dieterSide.page.getByRole("button", { name: /Dienstkonto/ }).isVisible()).resolves.toBe(true);

    // Element-style sign-in with the still-open IdP session: Synapse refuses the locked account.
    const again = await elementLogin(dieterSide.context);
    expect(again.status).toBe(401);
    expect(again.body.errcode).toBe("M_USER_LOCKED");

    // A new portal sign-in ends on the "gesperrt" page.
    const retry = await signIn(browser, stack.portalUrl, "dieter.bauamt");
    expect(new URL(retry.page.url()).pathname).toBe("/kein-zugang");
    await expect(retry.page.locator("main").textContent()).resolves.toContain("gesperrt");

    // Dieter organised the room alone: Anna (city IT) administers it now.
    const state = await admin(`/_synapse/admin/v1/rooms/${encodeURIComponent(roomId)}/state?type=m.room.power_levels`);
    const levels = (state.body.state as { type: string; content: { users: Record<string, number> } }[]).find(
      (e) => e.type === "m.room.power_levels",
    );
    expect(levels?.content.users[ANNA]).toBe(100);

    // The directory no longer lists him.
    const directory = await annaSide.page.request.get(`${stack.portalUrl}/api/people?q=dieter`);
    expect(((await directory.json()) as { total: number }).total).toBe(0);

    const { rows } = await db.query<{ actor: string; details: Record<string, unknown> }>(
      `select a.actor, a.details from audit_log a join people p on p.id::text = a.subject
       where a.action = 'person.offboarded' and p.username = 'dieter.bauamt'`,
    );
    const { rows: annaRows } = await db.query<{ id: string }>("select id from people where username = 'anna.admin'");
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      actor: `person:${annaRows[0]!.id}`,
      details: { reason: "admin-action", matrixUserId: DIETER, matrixLocked: true, problems: [] },
    });
    expect(rows[0]!.details.devicesDeleted).toBeGreaterThanOrEqual(1);
    expect(rows[0]!.details.rooms).toEqual([{ matrixRoomId: roomId, successor: ANNA, outcome: "handed-over" }]);

    await Promise.all([annaSide.context.close(), dieterSide.context.close(), retry.context.close()]);
  });

  it("signing out at the identity provider ends the portal session and its Matrix device (back-channel logout)", async () => {
    const { context, page } = await signIn(browser, stack.portalUrl, "bernd.bauamt");
    const before = await browserWhoami(page);
    expect(before.whoami?.user_id).toBe(`@bernd.bauamt:${SERVER}`);
    // Staff without the admin role get a 403 from the admin page.
    expect((await page.goto(`${stack.portalUrl}/admin/people`))?.status()).toBe(403);

    await page.goto(`${idp}/session/end`);
    await page.getByRole("button", { name: /Ja, abmelden/ }).click();
    await page.getByRole("heading", { name: /Abgemeldet/ }).waitFor();

    const deadline = Date.now() + 15_000;
    let status = 200;
    while (Date.now() < deadline && (status = (await page.request.get(`${stack.portalUrl}/api/matrix/session`)).status()) !== 401) {
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(status).toBe(401);
    const { rows } = await db.query<{ revoke_reason: string }>(
      `select s.revoke_reason from portal_sessions s join people p on p.id = s.person_id where p.username = 'bernd.bauamt'`,
    );
    expect(rows.map((r) => r.revoke_reason)).toEqual(["idp-logout"]);
    const r = await whoami(before.token!);
    expect(r.status).toBe(401);
    expect(r.body.errcode).toBe("M_UNKNOWN_TOKEN");
    await context.close();
  });

  it("answers a forged logout token with 400", async () => {
    const res = await fetch(`${stack.portalUrl}/api/auth/backchannel-logout`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ logout_token: "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0." }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: "invalid_request" });
  });
});
