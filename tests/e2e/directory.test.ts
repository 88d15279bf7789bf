import fs from "node:fs";
import type { Browser, BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser } from "./support/browser";
import { signIn } from "./support/sign-in";
import { makeDataDir, stackEnv, startStack, type RunningStack } from "./support/stack-process";

interface DirectoryPage {
  people: { displayName: string; username: string | null; departments: string[]; matrixUserId: string | null }[];
  total: number;
}

describe("people directory API", () => {
  const dataDir = makeDataDir();
  let stack: RunningStack;
  let browser: Browser;
  let clara: BrowserContext;

  beforeAll(async () => {
    const { env, ports } = await stackEnv(dataDir);
    stack = await startStack(env, ports);
    browser = await launchBrowser();
    // The directory holds people who have signed in once (provisioned from the identity provider).
    for (const username of ["bernd.bauamt", "dieter.bauamt", "anna.admin"]) {
      await (await signIn(browser, stack.portalUrl, username)).context.close();
    }
    clara = (await signIn(browser, stack.portalUrl, "clara.kaemmerei")).context;
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.interrupt();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const search = async (query: string) => {
    const res = await clara.request.get(`${stack.portalUrl}/api/people${query}`);
    return { status: res.status(), body: (await res.json()) as DirectoryPage, cache: res.headers()["cache-control"] };
  };

  it("finds staff by department", async () => {
    const { status, body, cache } = await search("?department=bauamt");
    expect(status).toBe(200);
    expect(cache).toBe("no-store");
    expect(body.total).toBe(2);
    expect(body.people.map((p) => [p.displayName, p.username, p.departments, p.matrixUserId])).toEqual([
      ["Bernd Bauer", "bernd.bauamt", ["bauamt"], "@bernd.bauamt:stadtfunk.test"],
      ["Dieter Dach", "dieter.bauamt", ["bauamt"], "@dieter.bauamt:stadtfunk.test"],
    ]);
  });

  it("finds staff by name and login name, and pages", async () => {
    expect((await search("?q=K%C3%A4mm")).body.people.map((p) => p.displayName)).toEqual(["Clara Kämmerer"]);
    expect((await search("?q=anna.admin")).body.people.map((p) => p.displayName)).toEqual(["Anna Admin"]);
    const page2 = await search("?pageSize=3&page=2");
    expect(page2.body).toMatchObject({ total: 4, people: [{ displayName: "Dieter Dach" }] });
  });

  it("refuses invalid input with 400", async () => {
    expect((await search("?pageSize=500")).status).toBe(400);
    expect((await search(`?q=${"x".repeat(101)}`)).status).toBe(400);
  });

  it("answers 401 without a portal session", async () => {
    const res = await fetch(`${stack.portalUrl}/api/people?department=bauamt`);
    expect(res.status).toBe(401);
  });
});
