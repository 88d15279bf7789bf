"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { isAppError } from "@/lib/errors";
import { changePartnerStatus, createPartner, updatePartner } from "@/lib/federation/partners";
import { formActionCaller, redirectActionCaller } from "@/lib/portal/action-edge";
import { portalRuntime } from "@/lib/portal/runtime";

const PAGE = "/admin/partner";

export interface PartnerFormState {
  message?: string;
  fieldErrors?: Record<string, string>;
  saved?: boolean;
}

/** Create (no partnerId) or edit a partner; the admin role is checked in lib/federation against the database. */
export async function savePartnerAction(_prev: PartnerFormState, form: FormData): Promise<PartnerFormState> {
  const { signedIn, message } = await formActionCaller();
  if (!signedIn) return { message };
  const { db, config } = portalRuntime();
  const input = {
    name: String(form.get("name") ?? ""),
    contact: String(form.get("contact") ?? ""),
    servers: String(form.get("servers") ?? ""),
  };
  const partnerId = String(form.get("partnerId") ?? "");
  try {
    const result = partnerId
      ? await updatePartner(db, signedIn.person.id, partnerId, input, config.matrix.serverName)
      : await createPartner(db, signedIn.person.id, input, config.matrix.serverName);
    if (!result.ok) return { message: "Bitte prüfen Sie die markierten Felder.", fieldErrors: result.fieldErrors };
  } catch (err) {
    if (isAppError(err)) return { message: err.userMessage };
    throw err;
  }
  redirect(`${PAGE}?gespeichert=1`);
}

const statusInput = z.object({ partnerId: z.uuid(), status: z.enum(["approved", "suspended"]) });

/** "Freigeben" / "Sperren". */
export async function changePartnerStatusAction(form: FormData): Promise<void> {
  const signedIn = await redirectActionCaller(`${PAGE}?fehler=herkunft`);
  const parsed = statusInput.safeParse({ partnerId: form.get("partnerId"), status: form.get("status") });
  if (!parsed.success) redirect(`${PAGE}?fehler=eingabe`);
  let target: string;
  try {
    await changePartnerStatus(portalRuntime().db, signedIn.person.id, parsed.data.partnerId, parsed.data.status);
    target = `${PAGE}?status=${parsed.data.status}`;
  } catch (err) {
    if (!isAppError(err)) throw err;
    target = `${PAGE}?fehler=${err.code === "not-admin" ? "keine-berechtigung" : err.code === "partner-status-invalid" ? "status" : "unbekannt"}`;
  }
  redirect(target);
}
