import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { people, rooms, type Person, type Room } from "../../drizzle/schema";
import { invitationJobs } from "../../drizzle/tables/invitations";
import { DB_SETUP_MS, createTestDb, type TestDb } from "../../lib/db/testing/test-db";
import { MatrixApiError } from "../../lib/matrix/client-api";
import type { StateEvent } from "../../lib/matrix/service-client";
import { captureLogger } from "../shared/capture-logger";
import { createOutbox } from "../shared/outbox";
import { JOB_MAX_ATTEMPTS, runDueInvitationJobs, type JobDeps } from "./process-job";

/** The job runner with a stubbed homeserver: per-person refusals, retries and the order per room. */
describe("invitation jobs", () => {
  let t: TestDb;
  let organiser: Person;
  let room: Room;
  const sent: { roomId: string; content: Record<string, unknown> }[] = [];
  const invited: string[] = [];
  let failInvite: (userId: string) => Error | null = () => null;
  let clock = new Date("2026-11-25T10:00:00Z");

  const member = (userId: string, membership: string): StateEvent => ({ type: "m.room.member", state_key: userId, sender: userId, content: { membership } });
  const deps = (): JobDeps => ({
    db: t.db,
    client: {
      userId: "@_stadtfunk_bot:s",
      getState: async () => [member("@o:s", "join")],
      invite: async (_roomId, userId) => {
        const err = failInvite(userId);
        if (err) throw err;
        invited.push(userId);
      },
      sendState: async () => "$state",
      sendEvent: async (roomId, _type, _txn, content) => {
        sent.push({ roomId, content });
        return `$e${sent.length}`;
      },
    },
    actions: { kick: async () => {} },
    outbox: createOutbox(t.db),
    mailEnabled: false,
    site: { portalUrl: "https://p", serverName: "s", cityName: "Musterstadt" },
    isServiceUser: (u) => u.startsWith("@_stadtfunk_"),
    logger: captureLogger("error").logger,
    now: () => clock,
  });

  beforeAll(async () => {
    t = await createTestDb();
    [organiser] = (await t.db.insert(people).values({ subject: "o", displayName: "Olga", matrixUserId: "@o:s" }).returning()) as [Person];
    [room] = (await t.db
      .insert(rooms)
      .values({ matrixRoomId: "!r:s", kind: "team", name: "AG", organiserId: organiser.id, access: "invited", conferenceId: "c", widgetId: "w", idempotencyKey: "k", status: "active" })
      .returning()) as [Room];
  }, DB_SETUP_MS);
  afterAll(() => t?.close());

  const job = async (userIds: string[], sequence: number, createdAt: Date) =>
    (await t.db.insert(invitationJobs).values({ roomId: room.id, kind: "add", payload: { userIds }, sequence, requestedBy: organiser.id, createdAt, nextAttemptAt: createdAt }).returning())[0]!;

  it("skips a person the homeserver refuses and invites the others", async () => {
    failInvite = (u) => (u === "@gone:s" ? new MatrixApiError(403, "M_FORBIDDEN", "deactivated") : null);
    const j = await job(["@gone:s", "@b:s"], 1, clock);
    expect(await runDueInvitationJobs(deps())).toBe(1);
    expect(invited).toEqual(["@b:s"]);
    expect(sent.at(-1)!.content.body).toBe("@b:s wurde eingeladen.");
    const [row] = await t.db.select().from(invitationJobs).where(eq(invitationJobs.id, j.id));
    expect(row!.doneAt).toBeInstanceOf(Date);
  });

  it("retries a failing job with backoff and keeps the room's later jobs behind it until it is given up", async () => {
    failInvite = (u) => (u === "@flaky:s" ? new MatrixApiError(500, "M_UNKNOWN", "boom") : null);
    const first = await job(["@flaky:s"], 2, new Date(clock.getTime() - 2));
    const second = await job(["@c:s"], 3, new Date(clock.getTime() - 1));
    expect(await runDueInvitationJobs(deps())).toBe(0);
    const [failed] = await t.db.select().from(invitationJobs).where(eq(invitationJobs.id, first.id));
    expect(failed).toMatchObject({ attempts: 1, doneAt: null });
    expect(failed!.nextAttemptAt.getTime()).toBe(clock.getTime() + 1_000);
    expect(invited).not.toContain("@c:s");

    // Not due yet: nothing runs.
    expect(await runDueInvitationJobs(deps())).toBe(0);
    for (let attempt = 2; attempt <= JOB_MAX_ATTEMPTS; attempt++) {
      clock = new Date(clock.getTime() + 10 * 60_000);
      await runDueInvitationJobs(deps());
    }
    const [givenUp] = await t.db.select().from(invitationJobs).where(eq(invitationJobs.id, first.id));
    expect(givenUp).toMatchObject({ attempts: JOB_MAX_ATTEMPTS, lastError: expect.stringContaining("boom") });
    expect(givenUp!.doneAt).toBeInstanceOf(Date);
    const [next] = await t.db.select().from(invitationJobs).where(eq(invitationJobs.id, second.id));
    expect(next!.doneAt).toBeInstanceOf(Date);
    expect(invited).toContain("@c:s");
  });
});
