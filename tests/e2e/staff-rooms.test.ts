import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { seriousViolations } from "./support/axe";
import { launchBrowser } from "./support/browser";
import { signIn } from "./support/sign-in";
import { makeDataDir, stackEnv, startStack, type RunningStack, stackAdminToken, liftMessageRateLimit } from "./support/stack-process";

const TEAM_ROOM = "Bauamt Stadtpark-Planung";
const MEETING = "Bauausschuss Radweg Nord";

/** Demo users (lib/dev-idp/demo-users.ts): Bernd and Dieter are in "bauamt", Clara in "kaemmerei". */
const CLARA_EMAIL = "clara.kaemmerei@musterstadt.example";
const DIETER_EMAIL = "dieter.bauamt@musterstadt.example";

const chat = (page: Page) => page.getByRole("region", { name: "Chat" });
const composer = (page: Page) => chat(page).getByRole("textbox", { name: /Nachricht schreiben/ });
const message = (page: Page, text: string) => chat(page).getByTestId("chat-message").filter({ hasText: text });
const visible = (locator: Locator, timeout = 30_000) => locator.first().waitFor({ state: "visible", timeout });

async function send(page: Page, text: string): Promise<void> {
  await composer(page).fill(text);
  await composer(page).press("Enter");
}

/** A mail as maildev's HTTP API lists it. */
interface CaughtMail {
  id: string;
  subject: string;
  to: { address: string }[];
  attachments?: { contentType: string; fileName?: string; generatedFileName?: string }[];
}

/**
 * Staff-facing pages of rooms, driven as real staff in separate browsers:
 * a room open to a department (dashboard list, join button, chat), the
 * edit page (reschedule, add someone; the bot's notice, the dashboards and
 * the invitation mail follow), the planned deletion with its one
 * postponement, the usage-rules acceptance, and axe on each of these pages.
 */
describe("staff rooms: department rooms, the edit page, retention, usage rules (whole stack, browser)", () => {
  const dataDir = makeDataDir();
  let stack: RunningStack;
  let browser: Browser;
  let mailUrl: string | null;
  let bernd: { context: BrowserContext; page: Page };
  let dieter: { context: BrowserContext; page: Page };
  let clara: { context: BrowserContext; page: Page };
  let meetingUrl: string;

  /** Mails the demo mail catcher holds for one address. */
  async function mailsTo(address: string): Promise<CaughtMail[]> {
    const res = await fetch(`${mailUrl}/api/email`);
    if (!res.ok) throw new Error(`maildev: ${res.status}`);
    return ((await res.json()) as CaughtMail[]).filter((m) => m.to.some((t) => t.address === address));
  }

  async function calendarOf(mail: CaughtMail): Promise<string> {
    const ics = mail.attachments?.find((a) => a.contentType.startsWith("text/calendar"));
    if (!ics) throw new Error(`no calendar file in "${mail.subject}"`);
    const res = await fetch(`${mailUrl}/api/email/${mail.id}/attachment/${encodeURIComponent(ics.generatedFileName ?? ics.fileName!)}`);
    expect(res.status).toBe(200);
    return (await res.text()).replace(/\r?\n[ \t]/g, "");
  }

  /** Signs a demo user in and accepts the usage rules, which the first sign-in asks for. */
  async function signInAccepting(username: string): Promise<{ context: BrowserContext; page: Page }> {
    const person = await signIn(browser, stack.portalUrl, username);
    expect(new URL(person.page.url()).pathname, username).toBe("/zustimmung");
    await person.page.getByRole("button", { name: "Ich stimme zu / I accept" }).click();
    await person.page.waitForURL(`${stack.portalUrl}/`);
    return person;
  }

  /** Creates a room through the "Neuer Raum" form and waits until the organiser's chat is ready. */
  async function createRoom(page: Page, fill: (page: Page) => Promise<void>): Promise<string> {
    await page.goto(`${stack.portalUrl}/rooms/new`);
    await fill(page);
    await page.getByRole("button", { name: "Raum anlegen" }).click();
    await page.waitForURL(/\/rooms\/(!|%21)/, { timeout: 30_000 });
    // The service invited the organiser; opening the room page joins it.
    await visible(composer(page));
    return page.url();
  }

  beforeAll(async () => {
    const { env, ports } = await stackEnv(dataDir);
    // The homeserver's consent tracking, off in the plain demo: staff accept the usage rules before anything else.
    env.HOMESERVER_CONSENT = "true";
    stack = await startStack(env, ports);
    mailUrl = /E-Mails:\s+(http:\/\/\S+)/.exec(stack.output())?.[1] ?? null;
    browser = await launchBrowser();
    // Bernd first: his sign-in creates the city's and the department's space.
    bernd = await signInAccepting("bernd.bauamt");
    [dieter, clara] = await Promise.all([signInAccepting("dieter.bauamt"), signInAccepting("clara.kaemmerei")]);
    // The test chats faster than a person; lift the homeserver's message limit for the two who do.
    const adminToken = stackAdminToken(dataDir);
    await liftMessageRateLimit(env.MATRIX_HOMESERVER_URL!, adminToken, ["@bernd.bauamt:stadtfunk.test", "@dieter.bauamt:stadtfunk.test"]);
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.interrupt();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("a room open to the department: a colleague joins it from the dashboard and both chat; another department never sees it", async () => {
    const roomUrl = await createRoom(bernd.page, async (page) => {
      await page.locator('input[name="kind"][value="team"]').check();
      await page.locator("#name").fill(TEAM_ROOM);
      await page.getByRole("radio", { name: "Alle Mitglieder einer Abteilung" }).check();
      await expect(page.locator("#department").inputValue()).resolves.toBe("bauamt");
    });

    const { page } = dieter;
    await page.goto(stack.portalUrl);
    const openList = page.getByTestId("open-room-list");
    await visible(openList);
    await expect(page.getByRole("heading", { name: "Offene Räume meiner Abteilung" }).isVisible()).resolves.toBe(true);
    await expect(openList.textContent()).resolves.toContain("Abteilung bauamt");
    expect(await seriousViolations(page)).toEqual([]);
    await openList.getByRole("button", { name: `${TEAM_ROOM} beitreten` }).click();
    await page.waitForURL(/\/rooms\/(!|%21)/, { timeout: 30_000 });
    await visible(composer(page));
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe(TEAM_ROOM);

    await send(page, "Moin Bernd, bin im Stadtpark-Raum.");
    await visible(message(bernd.page, "Moin Bernd, bin im Stadtpark-Raum."));
    await send(bernd.page, "Willkommen, Dieter!");
    await visible(message(page, "Willkommen, Dieter!"));

    // Joined: the room moved from the open rooms to Dieter's own list.
    await page.goto(stack.portalUrl);
    await visible(page.getByTestId("room-list").getByRole("link", { name: TEAM_ROOM, exact: true }));
    await expect(page.getByRole("button", { name: `${TEAM_ROOM} beitreten` }).count()).resolves.toBe(0);

    // Clara (Kämmerei) sees it nowhere on her dashboard.
    await clara.page.goto(stack.portalUrl);
    await visible(clara.page.getByRole("heading", { name: "Meine Räume und Besprechungen" }));
    await expect(clara.page.locator("main").textContent()).resolves.not.toContain(TEAM_ROOM);
    // Nor does the room's address let her in: membership is the homeserver's.
    expect((await clara.page.goto(roomUrl))?.status()).toBe(403);
  });

  it("the edit page: the organiser reschedules and adds Clara; room page, Clara's dashboard, the bot's notice and the mail follow", async () => {
    const { page } = bernd;
    meetingUrl = await createRoom(page, async (p) => {
      await p.locator('input[name="kind"][value="meeting"]').check();
      await p.locator("#name").fill(MEETING);
      await p.locator("#startsAt").fill("2026-12-10T09:00");
      await p.locator("#endsAt").fill("2026-12-10T10:00");
      const option = p.locator("#participantIds option", { hasText: "Dieter Dach" });
      await p.locator("#participantIds").selectOption((await option.getAttribute("value"))!);
    });

    await page.getByRole("link", { name: /^Raum bearbeiten/ }).click();
    await page.waitForURL(`${meetingUrl}/bearbeiten`);
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe(`Raum bearbeiten: ${MEETING}`);
    expect(await seriousViolations(page)).toEqual([]);

    const details = page.getByTestId("details-form");
    const end = details.getByLabel("Ende (deutsche Zeit)");
    // An end before the start is refused at the end field, which is marked and described by the message.
    await details.getByLabel("Beginn (deutsche Zeit)").fill("2026-12-11T14:00");
    await end.fill("2026-12-11T13:00");
    await details.getByRole("button", { name: "Änderungen speichern" }).click();
    await visible(details.getByRole("status").filter({ hasText: "Bitte prüfen Sie die markierten Felder." }));
    await expect.poll(() => end.getAttribute("aria-invalid")).toBe("true");
    await expect(page.locator(`#${await end.getAttribute("aria-describedby")}`).textContent()).resolves.toBe("Das Ende muss nach dem Beginn liegen.");
    expect(await seriousViolations(page)).toEqual([]);
    // What was typed stays for the correction.
    await expect(details.getByLabel("Beginn (deutsche Zeit)").inputValue()).resolves.toBe("2026-12-11T14:00");
    await expect(end.inputValue()).resolves.toBe("2026-12-11T13:00");

    await end.fill("2026-12-11T15:30");
    await details.getByRole("button", { name: "Änderungen speichern" }).click();
    await visible(details.getByRole("status").filter({ hasText: "wird übernommen" }));
    await expect(end.getAttribute("aria-invalid")).resolves.toBeNull();

    const add = page.getByTestId("add-form");
    await add.getByRole("textbox").fill("clara.kaemmerei");
    await add.getByRole("button", { name: "Einladen" }).click();
    await visible(add.getByRole("status").filter({ hasText: "werden verschickt" }));
    await expect.poll(() => add.getByRole("textbox").inputValue()).toBe("");
    expect(await seriousViolations(page)).toEqual([]);

    // The room page shows the new time at once (the portal's record changed with the request).
    await page.goto(meetingUrl);
    const roomHeader = page.locator("main header");
    await expect(roomHeader.textContent()).resolves.toContain("11.12.2026, 14:00 – 11.12.2026, 15:30");

    // What follows the two changes, awaited side by side.
    await Promise.all([
      (async () => {
        // The bot tells the room; matched by text, whichever bot account sends it.
        await visible(message(page, "Besprechung verschoben auf 11.12.2026, 14:00 – 15:30 Uhr."));
        await visible(message(page, "Clara Kämmerer wurde eingeladen."));
      })(),
      // Clara's dashboard lists the meeting with its new time once the bot invited her.
      expect.poll(async () => {
        await clara.page.goto(stack.portalUrl);
        return clara.page.getByTestId("room-list").filter({ hasText: MEETING }).textContent({ timeout: 1_000 }).catch(() => "");
      }, { timeout: 20_000 }).toContain("11.12.2026, 14:00"),
      (async () => {
        // npm start's demo stack runs maildev for invitation mails (no SMTP_URL of its own): check what arrived.
        expect(mailUrl, "the demo stack prints its mail catcher").not.toBeNull();
        let invitations: CaughtMail[] = [];
        await expect.poll(async () => (invitations = (await mailsTo(CLARA_EMAIL)).filter((m) => m.subject.startsWith("Einladung:"))).length, { timeout: 20_000 }).toBe(1);
        expect(invitations[0]!.subject).toBe(`Einladung: ${MEETING} (11.12.2026, 14:00)`);
        const ics = await calendarOf(invitations[0]!);
        expect(ics).toContain("METHOD:REQUEST");
        expect(ics).toMatch(/^DTSTART;TZID=Europe\/Berlin:20261211T140000$/m);
        // Dieter, invited at creation, hears of the new time too.
        await expect.poll(async () => (await mailsTo(DIETER_EMAIL)).map((m) => m.subject), { timeout: 20_000 }).toContainEqual(expect.stringMatching(/^Geändert: /));
      })(),
    ]);
  });

  it("the room admin sees the planned deletion and postpones it once; a second postponement is refused with a message", async () => {
    const { page } = bernd;
    const second = await bernd.context.newPage();
    await Promise.all([page.goto(meetingUrl), second.goto(meetingUrl)]);
    const box = (p: Page) => p.getByRole("region", { name: "Aufbewahrung" });
    const planned = async (p: Page) => /Geplante Löschung dieses Raums: (.+)/.exec((await box(p).textContent()) ?? "")?.[1];
    // A meeting is deleted 30 days after it ends (the default policy); the end is 11.12.2026, 15:30.
    await expect(planned(page)).resolves.toMatch(/^10\.01\.2027, 15:30/);
    const postpone = (p: Page) => box(p).getByRole("button", { name: /Einmalig um \d+ Tage verschieben/ });

    await postpone(page).click();
    await page.waitForURL((u) => u.searchParams.has("aufbewahrung"), { timeout: 15_000 });
    await visible(box(page).getByRole("status").filter({ hasText: "Die Löschung ist verschoben." }));
    await expect(planned(page)).resolves.toMatch(/^09\.02\.2027, 15:30/);
    await expect(postpone(page).count()).resolves.toBe(0);

    // The second tab still shows the button from before: pressing it is refused, and the page says why.
    await postpone(second).click();
    await second.waitForURL((u) => u.searchParams.has("aufbewahrung"), { timeout: 15_000 });
    await visible(box(second).getByRole("status").filter({ hasText: "Die Löschung wurde schon einmal verschoben." }));
    await expect(planned(second)).resolves.toMatch(/^09\.02\.2027, 15:30/);
    expect(await seriousViolations(second)).toEqual([]);
    await second.close();

    // Dieter is a participant, not a room admin: no retention box for him.
    expect((await dieter.page.goto(meetingUrl))?.status()).toBe(200);
    await expect(box(dieter.page).count()).resolves.toBe(0);
  });

  it("the partner page of the room passes axe and saves for the room admin", async () => {
    const { page } = bernd;
    await page.goto(`${meetingUrl}/partner`);
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe(`Partnerorganisationen in „${MEETING}“`);
    await expect(page.getByTestId("member-list").textContent()).resolves.toContain("Clara Kämmerer");
    expect(await seriousViolations(page)).toEqual([]);
    // No partner is approved in the demo: saving keeps the room to the city, and the page confirms it.
    await page.getByRole("button", { name: "Speichern" }).click();
    await page.waitForURL((u) => u.pathname.endsWith("/partner") && u.search !== "", { timeout: 15_000 });
    await visible(page.getByRole("status").filter({ hasText: "Gespeichert." }));
    await expect(page.locator("main").textContent()).resolves.toContain("Dieser Raum ist nur für die Stadtverwaltung (keine Partner).");
    expect(await seriousViolations(page)).toEqual([]);
  });

  it("usage rules: a first-time staff member is asked to accept before the dashboard, and is not asked again", async () => {
    // The stack runs with consent tracking on (see beforeAll): the homeserver serves its consent form.
    expect((await fetch(`${stack.env.MATRIX_HOMESERVER_URL}/_matrix/consent`, { redirect: "manual" })).status).not.toBe(404);
    const anna = await signIn(browser, stack.portalUrl, "anna.admin");
    const { page } = anna;
    expect(new URL(page.url()).pathname).toBe("/zustimmung");
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toMatch(/^Nutzungsregeln \(Version \d+\)$/);
    expect(await seriousViolations(page)).toEqual([]);
    // The English half of the button is marked as English, so screen readers pronounce it as such.
    await expect(page.getByRole("button", { name: "Ich stimme zu / I accept" }).locator('[lang="en"]').textContent()).resolves.toBe("I accept");
    // The dashboard is not reachable before accepting.
    await page.goto(stack.portalUrl);
    expect(new URL(page.url()).pathname).toBe("/zustimmung");

    await page.getByRole("button", { name: "Ich stimme zu / I accept" }).click();
    await page.waitForURL(`${stack.portalUrl}/`);
    await visible(page.getByRole("heading", { name: "Willkommen, Anna Admin" }));
    // Accepted, also on the homeserver: the page sends her on instead of asking again.
    await page.goto(`${stack.portalUrl}/zustimmung`);
    expect(new URL(page.url()).pathname).toBe("/");
    await anna.context.close();
  });
});
