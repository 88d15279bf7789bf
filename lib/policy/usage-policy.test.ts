import { describe, expect, it } from "vitest";
import { managedRoomTemplate } from "./power-levels";
import { DEFAULT_POLICY, policyFieldErrors, powerLevelsTemplateFor, roomNameProblem, usagePolicySchema } from "./usage-policy";

const withChange = (patch: (p: typeof DEFAULT_POLICY) => unknown) => patch(structuredClone(DEFAULT_POLICY));

describe("usage policy schema", () => {
  it("accepts the defaults, and they give exactly the code's power-level template", () => {
    expect(usagePolicySchema.parse(DEFAULT_POLICY)).toEqual(DEFAULT_POLICY);
    expect(powerLevelsTemplateFor(DEFAULT_POLICY)).toEqual(managedRoomTemplate());
  });

  it("puts the edited levels into the template", () => {
    const policy = { ...DEFAULT_POLICY, powerLevels: { invite: 0, widgets: 100, redact: 50, kick: 60, ban: 70 } };
    const t = powerLevelsTemplateFor(policy);
    expect(t).toMatchObject({ invite: 0, kick: 60, ban: 70, redact: 50, events: { "im.vector.modular.widgets": 100, "io.element.widgets.layout": 100 } });
  });

  it.each([
    ["a level above 100", (p: typeof DEFAULT_POLICY) => ({ ...p, powerLevels: { ...p.powerLevels, invite: 101 } }), "powerLevels.invite"],
    ["a negative level", (p: typeof DEFAULT_POLICY) => ({ ...p, powerLevels: { ...p.powerLevels, redact: -1 } }), "powerLevels.redact"],
    ["kick for everyone", (p: typeof DEFAULT_POLICY) => ({ ...p, powerLevels: { ...p.powerLevels, kick: 0 } }), "powerLevels.kick"],
    ["ban below kick", (p: typeof DEFAULT_POLICY) => ({ ...p, powerLevels: { ...p.powerLevels, kick: 80, ban: 60 } }), "powerLevels.ban"],
    ["a bad MIME type", (p: typeof DEFAULT_POLICY) => ({ ...p, attachments: { ...p.attachments, allowedTypes: ["pdf"] } }), "attachments.allowedTypes.0"],
    ["no allowed type", (p: typeof DEFAULT_POLICY) => ({ ...p, attachments: { ...p.attachments, allowedTypes: [] } }), "attachments.allowedTypes"],
    ["a tiny size limit", (p: typeof DEFAULT_POLICY) => ({ ...p, attachments: { ...p.attachments, maxBytes: 10 } }), "attachments.maxBytes"],
    ["a flood limit of 1", (p: typeof DEFAULT_POLICY) => ({ ...p, flood: { ...p.flood, messages: 1 } }), "flood.messages"],
    ["a mute of 0 minutes", (p: typeof DEFAULT_POLICY) => ({ ...p, flood: { ...p.flood, muteMinutes: 0 } }), "flood.muteMinutes"],
    ["a broken regex", (p: typeof DEFAULT_POLICY) => ({ ...p, roomNaming: { kind: "regex", value: "([a-z" } }), "roomNaming.value"],
    ["default link days above the maximum", (p: typeof DEFAULT_POLICY) => ({ ...p, guests: { ...p.guests, defaultLinkDays: 30, maxLinkDays: 10 } }), "guests.defaultLinkDays"],
  ])("refuses %s with a field error", (_name, patch, field) => {
    const result = usagePolicySchema.safeParse(withChange(patch));
    expect(result.success).toBe(false);
    expect(Object.keys(policyFieldErrors(result.error!))).toContain(field);
  });
});

describe("roomNameProblem", () => {
  it("checks prefix and regex rules", () => {
    expect(roomNameProblem({ kind: "none" }, "irgendwas")).toBeNull();
    expect(roomNameProblem({ kind: "prefix", value: "BA-" }, "BA-Bauausschuss")).toBeNull();
    expect(roomNameProblem({ kind: "prefix", value: "BA-" }, "Bauausschuss")?.de).toMatch(/BA-/);
    expect(roomNameProblem({ kind: "regex", value: "^[A-Z]{2,4} " }, "AMT Sitzung")).toBeNull();
    expect(roomNameProblem({ kind: "regex", value: "^[A-Z]{2,4} " }, "sitzung")).not.toBeNull();
  });
});

describe("guest limits from the policy", () => {
  it("drive link expiry; the defaults behave as before", async () => {
    const { defaultLinkExpiry, expiryProblem } = await import("../guests/link-policy");
    const now = new Date("2026-03-02T09:00:00Z");
    const teamRoom = { endsAt: null };
    expect(defaultLinkExpiry(teamRoom, now, DEFAULT_POLICY.guests)).toEqual(defaultLinkExpiry(teamRoom, now));
    const strict = { ...DEFAULT_POLICY.guests, defaultLinkDays: 1, maxLinkDays: 3 };
    expect(defaultLinkExpiry(teamRoom, now, strict)).toEqual(new Date("2026-03-03T09:00:00Z"));
    expect(expiryProblem(new Date("2026-03-06T09:00:00Z"), now, strict)).toMatch(/höchstens 3 Tage/);
    expect(expiryProblem(new Date("2026-03-06T09:00:00Z"), now)).toBeNull();
  });
});

describe("room creation with the policy's levels", () => {
  it("leaves the default body byte for byte as it was, and carries changed levels", async () => {
    const { buildCreateRoomBody } = await import("../rooms/room-state");
    const { withPolicyLevels } = await import("./room-naming");
    const { createTestDb } = await import("../db/testing/test-db");
    const { usagePolicyVersions } = await import("../../drizzle/tables/policy");
    const { db, close } = await createTestDb();
    try {
      const body = buildCreateRoomBody({
        kind: "team",
        name: "Bauausschuss",
        topic: "",
        startsAt: null,
        endsAt: null,
        organiserUserId: "@olga:stadt.test",
        inviteUserIds: ["@olga:stadt.test"],
        serverName: "stadt.test",
        jitsi: { domain: "meet.stadt.test", authMode: "none" },
        conferenceId: "c",
        widgetId: "w",
      });
      expect(JSON.stringify(await withPolicyLevels(db, body))).toBe(JSON.stringify(body));
      await db.insert(usagePolicyVersions).values({ version: 1, policy: { ...DEFAULT_POLICY, powerLevels: { ...DEFAULT_POLICY.powerLevels, invite: 100, widgets: 75 } } });
      const { forgetCachedPolicy } = await import("./policy-store");
      forgetCachedPolicy(db);
      const levels = (await withPolicyLevels(db, body)).power_level_content_override as Record<string, unknown>;
      expect(levels).toMatchObject({ invite: 100, users: { "@olga:stadt.test": 100 }, events: { "im.vector.modular.widgets": 75, "m.room.power_levels": 100 } });
    } finally {
      await close();
    }
  }, 60_000);
});

describe("saving the policy", () => {
  it("gives two simultaneous saves one version each or a conflict, never two rows of the same version", async () => {
    const { createTestDb } = await import("../db/testing/test-db");
    const { people, auditLog } = await import("../../drizzle/schema");
    const { savePolicyByAdmin, readCurrentPolicy } = await import("./policy-store");
    const { db, close } = await createTestDb();
    try {
      const [admin] = await db.insert(people).values({ subject: "a", displayName: "Anna", role: "admin" }).returning();
      const results = await Promise.allSettled([
        savePolicyByAdmin(db, admin!.id, { ...DEFAULT_POLICY, flood: { ...DEFAULT_POLICY.flood, messages: 20 } }),
        savePolicyByAdmin(db, admin!.id, { ...DEFAULT_POLICY, flood: { ...DEFAULT_POLICY.flood, messages: 30 } }),
      ]);
      for (const r of results) if (r.status === "rejected") expect(r.reason).toMatchObject({ code: "policy-conflict" });
      const saved = results.filter((r) => r.status === "fulfilled").length;
      expect((await readCurrentPolicy(db)).version).toBe(saved);
      expect((await db.select().from(auditLog)).filter((e) => e.action === "policy.changed")).toHaveLength(saved);
    } finally {
      await close();
    }
  }, 60_000);
});
