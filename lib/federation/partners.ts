import { and, asc, eq, inArray, ne } from "drizzle-orm";
import { z } from "zod";
import { auditLog } from "../../drizzle/schema";
import { federationChanges, partnerServers, partners, type Partner, type PartnerStatus } from "../../drizzle/tables/partners";
import type { Db } from "../db/client";
import { AppError } from "../errors";
import { fieldErrors as zodFieldErrors } from "../field-errors";
import { requireAdmin } from "../people/admin-access";
import { canChangeStatus, STATUS_LABELS } from "./partner-status";
import { aclHost, parseServerNameList } from "./server-names";

/**
 * Partner organisations as city IT manages them. Every change is checked
 * against the actor's admin role (read fresh from the database), written in
 * one transaction with its audit entry (before/after) and a federation change
 * the bots bring to the rooms.
 */

export interface PartnerWithServers extends Partner {
  serverNames: string[];
}

export const partnerFormSchema = z.object({
  name: z.string().trim().min(1, "Bitte einen Namen angeben.").max(120, "Höchstens 120 Zeichen."),
  contact: z.string().trim().max(200, "Höchstens 200 Zeichen."),
  servers: z.string().max(2_000, "Zu lang."),
});
export type PartnerForm = z.input<typeof partnerFormSchema>;

export type PartnerFormResult =
  | { ok: true; partner: PartnerWithServers }
  | { ok: false; fieldErrors: Partial<Record<keyof PartnerForm, string>> };

function snapshot(p: Pick<PartnerWithServers, "name" | "contact" | "status" | "serverNames">) {
  return { name: p.name, contact: p.contact, status: p.status, serverNames: p.serverNames };
}

async function withServers(db: Db, rows: Partner[]): Promise<PartnerWithServers[]> {
  if (rows.length === 0) return [];
  const servers = await db
    .select()
    .from(partnerServers)
    .where(
      inArray(
        partnerServers.partnerId,
        rows.map((r) => r.id),
      ),
    )
    .orderBy(asc(partnerServers.serverName));
  return rows.map((r) => ({ ...r, serverNames: servers.filter((s) => s.partnerId === r.id).map((s) => s.serverName) }));
}

export async function listPartners(db: Db): Promise<PartnerWithServers[]> {
  return withServers(db, await db.select().from(partners).orderBy(asc(partners.name), asc(partners.id)));
}

export async function findPartner(db: Db, partnerId: string): Promise<PartnerWithServers | undefined> {
  if (!z.uuid().safeParse(partnerId).success) return undefined;
  const rows = await db.select().from(partners).where(eq(partners.id, partnerId));
  return (await withServers(db, rows))[0];
}

/** Every server name of every approved partner: the homeserver's allow-list beside our own. */
export async function approvedPartnerServers(db: Db): Promise<string[]> {
  const rows = await db
    .select({ serverName: partnerServers.serverName })
    .from(partnerServers)
    .innerJoin(partners, eq(partners.id, partnerServers.partnerId))
    .where(eq(partners.status, "approved"))
    .orderBy(asc(partnerServers.serverName));
  return rows.map((r) => r.serverName);
}

function validate(raw: PartnerForm, ownServerName: string): { ok: true; name: string; contact: string; serverNames: string[] } | { ok: false; fieldErrors: Partial<Record<keyof PartnerForm, string>> } {
  const parsed = partnerFormSchema.safeParse(raw);
  const fieldErrors: Partial<Record<keyof PartnerForm, string>> = parsed.success ? {} : zodFieldErrors(parsed.error);
  const servers = parseServerNameList(String(raw.servers ?? ""));
  if (!servers.ok) fieldErrors.servers ??= servers.message;
  else if (servers.serverNames.some((s) => aclHost(s) === aclHost(ownServerName))) {
    fieldErrors.servers ??= "Das ist der eigene Server der Stadt.";
  }
  if (!parsed.success || !servers.ok || Object.keys(fieldErrors).length > 0) return { ok: false, fieldErrors };
  return { ok: true, name: parsed.data.name, contact: parsed.data.contact, serverNames: servers.serverNames };
}

async function serversTakenByOthers(db: Db, serverNames: string[], partnerId: string | null): Promise<string[]> {
  const hosts = new Set(serverNames.map(aclHost));
  const rows = await db
    .select({ serverName: partnerServers.serverName })
    .from(partnerServers)
    .where(partnerId ? ne(partnerServers.partnerId, partnerId) : undefined);
  return rows.map((r) => r.serverName).filter((s) => hosts.has(aclHost(s)));
}

/** The validated form, or its field errors, including server names another partner already holds. */
async function checkedInput(db: Db, raw: PartnerForm, ownServerName: string, partnerId: string | null): Promise<ReturnType<typeof validate>> {
  const input = validate(raw, ownServerName);
  if (!input.ok) return input;
  const taken = await serversTakenByOthers(db, input.serverNames, partnerId);
  if (taken.length > 0) return { ok: false, fieldErrors: { servers: `Schon einem anderen Partner zugeordnet: ${taken.join(", ")}` } };
  return input;
}

/** "Partner anlegen": a new partner starts as requested. */
export async function createPartner(db: Db, actorId: string, raw: PartnerForm, ownServerName: string): Promise<PartnerFormResult> {
  const actor = await requireAdmin(db, actorId);
  const input = await checkedInput(db, raw, ownServerName, null);
  if (!input.ok) return input;
  const partner = await db.transaction(async (tx) => {
    const [row] = await tx.insert(partners).values({ name: input.name, contact: input.contact }).returning();
    await tx.insert(partnerServers).values(input.serverNames.map((serverName) => ({ serverName, partnerId: row!.id })));
    const created = { ...row!, serverNames: input.serverNames };
    await tx.insert(auditLog).values({
      actor: `person:${actor.id}`,
      action: "federation.partner-created",
      subject: row!.id,
      details: { before: null, after: snapshot(created) },
    });
    return created;
  });
  return { ok: true, partner };
}

/** Name, contact and server names; a server change of an approved partner reaches the rooms at once. */
export async function updatePartner(
  db: Db,
  actorId: string,
  partnerId: string,
  raw: PartnerForm,
  ownServerName: string,
): Promise<PartnerFormResult> {
  const actor = await requireAdmin(db, actorId);
  const before = await findPartner(db, partnerId);
  if (!before) throw new AppError("partner-not-found", "not-found", "Diesen Partner gibt es nicht.");
  const input = await checkedInput(db, raw, ownServerName, partnerId);
  if (!input.ok) return input;
  const partner = await db.transaction(async (tx) => {
    const [row] = await tx
      .update(partners)
      .set({ name: input.name, contact: input.contact, updatedAt: new Date() })
      .where(eq(partners.id, partnerId))
      .returning();
    await tx.delete(partnerServers).where(eq(partnerServers.partnerId, partnerId));
    await tx.insert(partnerServers).values(input.serverNames.map((serverName) => ({ serverName, partnerId })));
    const after = { ...row!, serverNames: input.serverNames };
    await tx.insert(auditLog).values({
      actor: `person:${actor.id}`,
      action: "federation.partner-updated",
      subject: partnerId,
      details: { before: snapshot(before), after: snapshot(after) },
    });
    await tx.insert(federationChanges).values({ kind: "partner", partnerId });
    return after;
  });
  return { ok: true, partner };
}

/**
 * Approve or suspend. Suspending takes the partner out of every room's ACL
 * and removes its users from them (the bots do that from the change row);
 * the homeserver's allow-list follows at its next start.
 */
export async function changePartnerStatus(
  db: Db,
  actorId: string,
  partnerId: string,
  to: PartnerStatus,
): Promise<PartnerWithServers> {
  const actor = await requireAdmin(db, actorId);
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(partners).where(eq(partners.id, partnerId)).for("update");
    if (!row) throw new AppError("partner-not-found", "not-found", "Diesen Partner gibt es nicht.");
    if (!canChangeStatus(row.status, to)) {
      throw new AppError(
        "partner-status-invalid",
        "conflict",
        `Ein Partner im Status „${STATUS_LABELS[row.status]}“ kann nicht auf „${STATUS_LABELS[to]}“ gesetzt werden.`,
      );
    }
    const [updated] = await tx
      .update(partners)
      .set({ status: to, updatedAt: new Date() })
      .where(and(eq(partners.id, partnerId), eq(partners.status, row.status)))
      .returning();
    const servers = await tx.select().from(partnerServers).where(eq(partnerServers.partnerId, partnerId));
    const serverNames = servers.map((s) => s.serverName).sort();
    await tx.insert(auditLog).values({
      actor: `person:${actor.id}`,
      action: to === "approved" ? "federation.partner-approved" : "federation.partner-suspended",
      subject: partnerId,
      details: { before: snapshot({ ...row, serverNames }), after: snapshot({ ...updated!, serverNames }) },
    });
    await tx.insert(federationChanges).values({ kind: "partner", partnerId });
    return { ...updated!, serverNames };
  });
}
