import { execFileSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { launchBrowser } from "./support/browser";
import { makeDataDir, stackEnv, startStack, type RunningStack, type StackPorts } from "./support/stack-process";

function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, "127.0.0.1");
    s.once("connect", () => (s.destroy(), resolve(true)));
    s.once("error", () => resolve(false));
  });
}

function homeserverPid(dataDir: string): number {
  const ps = execFileSync("ps", ["-eo", "pid=,args="], { encoding: "utf8" });
  const line = ps.split("\n").find((l) => l.includes("synapse.app.homeserver") && l.includes(dataDir));
  if (!line) throw new Error("homeserver process not found");
  return Number(line.trim().split(/\s+/)[0]);
}

async function allPortsFree(ports: StackPorts): Promise<boolean> {
  const results = await Promise.all(Object.values(ports).map(isListening));
  return results.every((listening) => !listening);
}

describe("the one-command stack (npm start)", () => {
  const dataDir = makeDataDir();
  let stack: RunningStack;
  let browser: Browser | undefined;

  beforeAll(async () => {
    const { env, ports } = await stackEnv(dataDir);
    stack = await startStack(env, ports);
  });

  afterAll(async () => {
    await browser?.close();
    stack?.kill();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("prints the portal URL and the demo logins", () => {
    expect(stack.output()).toContain(`Portal:        ${stack.portalUrl}`);
    expect(stack.output()).toMatch(/anna\.admin\s+Anna Admin/);
  });

  it("reports homeserver, database and identity provider as reachable", async () => {
    const res = await fetch(`${stack.portalUrl}/api/health`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { status: string; components: Record<string, { ok: boolean }> };
    expect(body.status).toBe("ok");
    expect(Object.keys(body.components).sort()).toEqual(["database", "homeserver", "identityProvider"]);
  });

  it("serves the home page in a browser under its CSP without errors", async () => {
    browser = await launchBrowser();
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on("console", (m) => m.type() === "error" && problems.push(m.text()));
    page.on("pageerror", (e) => problems.push(e.message));
    const res = await page.goto(stack.portalUrl);
    expect(res?.headers()["content-security-policy"]).toContain("frame-src https://");
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe("Stadtfunk");
    await expect(page.getByRole("button", { name: /Dienstkonto/ }).isVisible()).resolves.toBe(true);
    expect(problems).toEqual([]);

    // German first; the language switch turns the page English and remembers it.
    await page.getByRole("button", { name: "English" }).click();
    await expect(page.getByRole("button", { name: "Sign in with your work account" }).isVisible()).resolves.toBe(true);
    await expect(page.locator("html").getAttribute("lang")).resolves.toBe("en");
    await page.reload();
    await expect(page.getByRole("button", { name: "Deutsch" }).isVisible()).resolves.toBe(true);
  });

  it("answers 503 and names the component when one is down", async () => {
    // Freeze only the homeserver; the portal must say so instead of failing.
    const pid = homeserverPid(dataDir);
    process.kill(pid, "SIGSTOP");
    try {
      const res = await fetch(`${stack.portalUrl}/api/health`);
      expect(res.status).toBe(503);
      const body = (await res.json()) as { components: Record<string, { ok: boolean; error?: string }> };
      expect(body.components.homeserver?.ok).toBe(false);
      expect(body.components.database?.ok).toBe(true);
      expect(JSON.stringify(body)).not.toMatch(/\bat .*\.(ts|js):\d+/);
    } finally {
      process.kill(pid, "SIGCONT");
    }
  });

  it("stops everything on Ctrl-C and starts again on the same data", async () => {
    expect(await stack.interrupt()).toBe(0);
    expect(await allPortsFree(stack.ports)).toBe(true);
    const secrets = fs.readFileSync(path.join(dataDir, "secrets.env"), "utf8");

    stack = await startStack(stack.env, stack.ports);
    const res = await fetch(`${stack.portalUrl}/api/health`);
    expect(res.status).toBe(200);
    expect(fs.readFileSync(path.join(dataDir, "secrets.env"), "utf8")).toBe(secrets);
    expect(await stack.interrupt()).toBe(0);
    expect(await allPortsFree(stack.ports)).toBe(true);
  });
});
