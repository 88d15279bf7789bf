import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rooms, type Person, type Room } from "../../drizzle/schema";
import { invitationJobs, invitationMails } from "../../drizzle/tables/invitations";
import { createTestDb, DB_SETUP_MS, type TestDb } from "../../lib/db/testing/test-db";
import { MAIL_MAX_ATTEMPTS } from "../../lib/mail/mail-outbox";
import { insertPerson } from "../../lib/people/testing/seed";
import { pruneInvitationJournal } from "./journal";

describe("pruneInvitationJournal", () => {
  let t: TestDb;
  let olga: Person;
  let room: Room;
  beforeAll(async () => {
    t = await createTestDb();
    olga = await insertPerson(t.db, { subject: "o", displayName: "Olga", email: "olga@stadt.example" });
    [room] = (await t.db
      .insert(rooms)
      .values({ matrixRoomId: "!r:s", kind: "meeting", name: "A", organiserId: olga.id, access: "invited", conferenceId: "c", widgetId: "w", idempotencyKey: "k", status: "active" })
      .returning()) as [Room];
  }, DB_SETUP_MS);
  afterAll(() => t?.close());

  it("deletes finished jobs and sent or given-up mails before the cut-off, and keeps open and young ones", async () => {
    const old = new Date("2026-01-01T00:00:00Z");
    const young = new Date("2026-03-01T00:00:00Z");
    const job = (createdAt: Date, doneAt: Date | null, sequence: number) => ({ roomId: room.id, kind: "add" as const, sequence, requestedBy: olga.id, createdAt, doneAt });
    await t.db.insert(invitationJobs).values([job(old, old, 1), job(old, null, 2), job(young, young, 3)]);
    const mail = (createdAt: Date, sentAt: Date | null, attempts: number, sequence: number) => ({
      roomId: room.id, personId: olga.id, sequence, method: "REQUEST" as const, recipient: "olga@stadt.example", subject: "s", body: "b", ics: "i", createdAt, sentAt, attempts,
    });
    await t.db.insert(invitationMails).values([mail(old, old, 1, 1), mail(old, null, MAIL_MAX_ATTEMPTS, 2), mail(old, null, 3, 3), mail(young, young, 1, 4)]);

    expect(await pruneInvitationJournal(t.db, new Date("2026-02-01T00:00:00Z"))).toEqual({ jobs: 1, mails: 2 });
    expect((await t.db.select().from(invitationJobs)).map((j) => j.sequence).sort()).toEqual([2, 3]);
    expect((await t.db.select().from(invitationMails)).map((m) => m.sequence).sort()).toEqual([3, 4]);
  });
});
