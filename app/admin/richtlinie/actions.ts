"use server";

import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import { currentSession } from "@/lib/auth/current-session";
import { isAppError } from "@/lib/errors";
import { formFieldOf, policyInputFromForm } from "@/lib/policy/policy-form";
import { savePolicyByAdmin } from "@/lib/policy/policy-store";
import { portalRuntime } from "@/lib/portal/runtime";
import { isSameOriginRequest } from "@/lib/security/same-origin";

export interface SavePolicyState {
  message?: string;
  saved?: number;
  fieldErrors?: Record<string, string>;
  /** What was submitted, so a refused form keeps the admin's input. */
  values?: Record<string, string>;
}

/** Thin edge: origin, session, one lib call (which checks the admin role and validates everything). */
export async function savePolicyAction(_prev: SavePolicyState, form: FormData): Promise<SavePolicyState> {
  const { config, db, log } = portalRuntime();
  if (!isSameOriginRequest(await headers(), config.portal.url)) {
    return { message: "Die Anfrage kam nicht von dieser Seite und wurde abgelehnt." };
  }
  const signedIn = await currentSession();
  if (!signedIn) return { message: "Ihre Sitzung ist abgelaufen. Bitte melden Sie sich neu an." };
  const get = (name: string) => {
    const v = form.get(name);
    return typeof v === "string" ? v : null;
  };
  const values = Object.fromEntries([...form.entries()].filter(([k, v]) => !k.startsWith("$") && typeof v === "string")) as Record<string, string>;
  try {
    const saved = await savePolicyByAdmin(db, signedIn.person.id, policyInputFromForm(get));
    // The page shows the version in force; render it again with the saved values.
    revalidatePath("/admin/richtlinie");
    return { saved: saved.version };
  } catch (err) {
    if (isAppError(err)) {
      const fieldErrors = Object.fromEntries(Object.entries(err.fieldErrors).map(([k, v]) => [formFieldOf(k), v]));
      return { message: err.userMessage, fieldErrors, values };
    }
    const errorId = crypto.randomUUID();
    log.error({ errorId, err }, "saving the usage policy failed");
    return { message: `Unerwarteter Fehler (Fehler-ID ${errorId}). Die bisherige Richtlinie bleibt in Kraft.`, values };
  }
}
