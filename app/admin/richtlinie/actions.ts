"use server";

import { revalidatePath } from "next/cache";
import { isAppError } from "@/lib/errors";
import { formFieldOf, policyInputFromForm } from "@/lib/policy/policy-form";
import { savePolicyByAdmin } from "@/lib/policy/policy-store";
import { formActionCaller, unexpectedErrorMessage } from "@/lib/portal/action-edge";
import { portalRuntime } from "@/lib/portal/runtime";

export interface SavePolicyState {
  message?: string;
  saved?: number;
  fieldErrors?: Record<string, string>;
  /** What was submitted, so a refused form keeps the admin's input. */
  values?: Record<string, string>;
}

/** Thin edge: origin, session, one lib call (which checks the admin role and validates everything). */
export async function savePolicyAction(_prev: SavePolicyState, form: FormData): Promise<SavePolicyState> {
  const { signedIn, message } = await formActionCaller();
  if (!signedIn) return { message };
  const { db, log } = portalRuntime();
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
    return { message: unexpectedErrorMessage(log, err, "saving the usage policy failed", "Die bisherige Richtlinie bleibt in Kraft."), values };
  }
}
