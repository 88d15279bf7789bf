import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog, pendingInvitations, people, portalSessions, rooms } from "../../drizzle/schema";
import { useTestDb } from "../db/testing/test-db";
import { listPeopleForAdmin } from "../people/admin-access";
import { fakeHomeserver } from "../people/testing/fake-homeserver";
import { insertPerson, insertSession, testLeaverDeps } from "../people/testing/seed";
import { ERASED_DISPLAY_NAME } from "./subject-erasure";
import { erasePersonForAdmin, exportPersonForAdmin } from "./subject-requests";

const t = useTestDb();

describe("erasing a person who never used Matrix (stubbed homeserver)", () => {
  it("pseudonymises the portal data, asks the homeserver once for a linked account, and lists the person as erased", async () => {
    const anna = await insertPerson(t.db, { subject: "a", displayName: "Anna Admin", role: "admin" });
    const olaf = await insertPerson(t.db, { subject: "idp-olaf", displayName: "Olaf Ohnechat", username: "olaf", email: "Olaf@Stadt.example" });
    await insertSession(t.db, olaf.id, { refreshToken: "refresh-secret" });
    const [room] = await t.db
      .insert(rooms)
      .values({ kind: "team", name: "Team", organiserId: anna.id, access: "invited", conferenceId: "c", widgetId: "w", idempotencyKey: "k", status: "active" })
      .returning();
    await t.db.insert(pendingInvitations).values([
      { roomId: room!.id, invitee: "olaf@stadt.example", invitedBy: anna.id },
      { roomId: room!.id, invitee: "olaf", invitedBy: anna.id },
      { roomId: room!.id, invitee: "someone-else", invitedBy: anna.id },
    ]);
    await t.db.insert(auditLog).values({ actor: "system", action: "test.mention", subject: "x", details: { to: "olaf@stadt.example" } });
    const hs = fakeHomeserver({});
    const deps = testLeaverDeps(t.db, hs);

    const data = await exportPersonForAdmin(anna.id, olaf.id, deps);
    expect(data.homeserver).toBeNull();
    expect(data.portal.invitationsWaitingForFirstSignIn.map((i) => i.invitee).sort()).toEqual(["olaf", "olaf@stadt.example"]);
    expect(JSON.stringify(data)).not.toContain("refresh-secret");

    const outcome = await erasePersonForAdmin(anna.id, olaf.id, deps);
    expect(outcome).toMatchObject({ ok: true, result: { alreadyErased: false, sessionsEnded: 1, matrixAccountErased: false } });
    expect(hs.calls.map((c) => `${c.method} ${c.path}`)).toEqual([
      // once for the export, once for the erasure: is there an account linked to the subject?
      "GET /_synapse/admin/v1/auth_providers/oidc-stadtfunk/users/idp-olaf",
      "GET /_synapse/admin/v1/auth_providers/oidc-stadtfunk/users/idp-olaf",
    ]);
    const [row] = await t.db.select().from(people).where(eq(people.id, olaf.id));
    expect(row).toMatchObject({ displayName: ERASED_DISPLAY_NAME, username: null, email: null, subject: `erased:${olaf.id}` });
    expect(await t.db.select().from(portalSessions).where(eq(portalSessions.personId, olaf.id))).toEqual([]);
    expect((await t.db.select().from(pendingInvitations)).map((i) => i.invitee)).toEqual(["someone-else"]);
    const log = await t.db.select().from(auditLog);
    expect(JSON.stringify(log)).not.toMatch(/olaf/i);
    expect(log.find((e) => e.action === "test.mention")?.details).toEqual({ to: `person:${olaf.id}` });

    const listed = await listPeopleForAdmin(t.db, anna.id, {});
    expect(listed.map((p) => [p.displayName, p.erased])).toEqual([
      ["Anna Admin", false],
      [ERASED_DISPLAY_NAME, true],
    ]);
    expect(await erasePersonForAdmin(anna.id, olaf.id, deps)).toMatchObject({ ok: true, result: { alreadyErased: true } });
    expect(hs.calls).toHaveLength(2);
  });
});
