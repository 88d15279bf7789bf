import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, rooms } from "../../drizzle/schema";
import { federationChanges } from "../../drizzle/tables/partners";
import { createTestDb, DB_SETUP_MS, type TestDb } from "../db/testing/test-db";
import { insertPerson } from "../people/testing/seed";
import { invitePartnerUser } from "./invite-partner-user";
import { approvedPartnerServers, changePartnerStatus, createPartner, updatePartner } from "./partners";
import { approvedPartnersOfRoom, setRoomPartners } from "./room-partners";

let t: TestDb;
let adminId: string;
let staffId: string;
beforeAll(async () => {
  t = await createTestDb();
  adminId = (await insertPerson(t.db, { subject: "admin", displayName: "Anna Admin", role: "admin" })).id;
  staffId = (await insertPerson(t.db, { subject: "staff", displayName: "Bernd" })).id;
}, DB_SETUP_MS);
afterAll(() => t?.close());

const OWN = "city.test";

describe("partners", () => {
  it("only admins manage partners", async () => {
    await expect(createPartner(t.db, staffId, { name: "X", contact: "", servers: "x.example" }, OWN)).rejects.toMatchObject({
      code: "not-admin",
    });
  });

  it("reports field errors and stores nothing for bad input", async () => {
    const r = await createPartner(t.db, adminId, { name: "", contact: "", servers: "127.0.0.3" }, OWN);
    expect(r).toEqual({ ok: false, fieldErrors: { name: "Bitte einen Namen angeben.", servers: expect.stringContaining("IP-Adresse") } });
    const own = await createPartner(t.db, adminId, { name: "Wir", contact: "", servers: "city.test:8448" }, OWN);
    expect(own).toMatchObject({ ok: false, fieldErrors: { servers: "Das ist der eigene Server der Stadt." } });
  });

  it("refuses a server another partner holds on edit too, but not the partner's own", async () => {
    const a = await createPartner(t.db, adminId, { name: "Verkehrsbetriebe", contact: "", servers: "bus.test" }, OWN);
    const b = await createPartner(t.db, adminId, { name: "Bäder", contact: "", servers: "bad.test" }, OWN);
    if (!a.ok || !b.ok) throw new Error("not created");
    const taken = await updatePartner(t.db, adminId, b.partner.id, { name: "Bäder", contact: "", servers: "bad.test, bus.test:8448" }, OWN);
    expect(taken).toEqual({ ok: false, fieldErrors: { servers: "Schon einem anderen Partner zugeordnet: bus.test" } });
    const kept = await updatePartner(t.db, adminId, a.partner.id, { name: "Verkehrsbetriebe AöR", contact: "", servers: "bus.test" }, OWN);
    expect(kept).toMatchObject({ ok: true, partner: { name: "Verkehrsbetriebe AöR", serverNames: ["bus.test"] } });
  });

  it("walks requested → approved → suspended, audits each change and refuses invalid ones", async () => {
    const created = await createPartner(t.db, adminId, { name: "Stadtwerke", contact: "it@sw.example", servers: "company.test" }, OWN);
    if (!created.ok) throw new Error("not created");
    const id = created.partner.id;
    expect(created.partner.status).toBe("requested");
    expect(await approvedPartnerServers(t.db)).toEqual([]);
    await expect(changePartnerStatus(t.db, adminId, id, "suspended")).rejects.toMatchObject({ code: "partner-status-invalid" });
    await changePartnerStatus(t.db, adminId, id, "approved");
    expect(await approvedPartnerServers(t.db)).toEqual(["company.test"]);
    const dup = await createPartner(t.db, adminId, { name: "Andere", contact: "", servers: "company.test:8448" }, OWN);
    expect(dup).toMatchObject({ ok: false, fieldErrors: { servers: expect.stringContaining("company.test") } });
    await updatePartner(t.db, adminId, id, { name: "Stadtwerke GmbH", contact: "", servers: "company.test, company2.test" }, OWN);
    await changePartnerStatus(t.db, adminId, id, "suspended");
    expect(await approvedPartnerServers(t.db)).toEqual([]);
    const audit = await t.db.select().from(auditLog).where(eq(auditLog.subject, id));
    expect(audit.map((a) => a.action)).toEqual([
      "federation.partner-created",
      "federation.partner-approved",
      "federation.partner-updated",
      "federation.partner-suspended",
    ]);
    expect(audit.every((a) => a.actor === `person:${adminId}`)).toBe(true);
    expect(audit[3]!.details).toMatchObject({ before: { status: "approved" }, after: { status: "suspended", serverNames: ["company.test", "company2.test"] } });
    expect((await t.db.select().from(federationChanges).where(eq(federationChanges.partnerId, id))).length).toBe(3);
  });
});

describe("rooms opened to partners and partner invitations", () => {
  it("opens a room to approved partners only and refuses non-partner invitees without a homeserver call", async () => {
    const created = await createPartner(t.db, adminId, { name: "Wohnbau", contact: "", servers: "housing.test:8448" }, OWN);
    const requested = await createPartner(t.db, adminId, { name: "Verkehr", contact: "", servers: "transport.test" }, OWN);
    if (!created.ok || !requested.ok) throw new Error("not created");
    await changePartnerStatus(t.db, adminId, created.partner.id, "approved");
    const [room] = await t.db
      .insert(rooms)
      .values({
        matrixRoomId: "!r:city.test",
        kind: "team",
        name: "Bau",
        organiserId: adminId,
        access: "invited",
        conferenceId: "c",
        widgetId: "w",
        idempotencyKey: "k",
        status: "active",
      })
      .returning();
    await expect(
      setRoomPartners(t.db, { room: room!, partnerIds: [requested.partner.id], actor: "test" }),
    ).rejects.toMatchObject({ code: "partner-not-approved" });
    await setRoomPartners(t.db, { room: room!, partnerIds: [created.partner.id], actor: "test" });
    expect(await approvedPartnersOfRoom(t.db, "!r:city.test")).toEqual([
      { partnerId: created.partner.id, name: "Wohnbau", serverNames: ["housing.test:8448"] },
    ]);

    const calls: string[] = [];
    const deps = {
      db: t.db,
      service: {
        getState: async () => (calls.push("getState"), []),
        invite: async () => void calls.push("invite"),
      },
      lookupProfile: async () => (calls.push("profile"), { displayname: "P" }),
    };
    for (const invitee of ["@eve:other.test", "@tom:transport.test", "not-an-id", "@x:127.0.0.4"]) {
      await expect(
        invitePartnerUser(deps, { matrixRoomId: "!r:city.test", inviterUserId: "@anna:city.test", invitee }),
      ).rejects.toMatchObject({ category: expect.stringMatching(/invalid|forbidden/) });
    }
    expect(calls).toEqual([]);
  });
});
