"use server";

import { revalidatePath } from "next/cache";
import { isAppError } from "@/lib/errors";
import { publishUsageRulesByAdmin, usageRulesForm } from "@/lib/guests/usage-rules-admin";
import { fieldErrors } from "@/lib/field-errors";
import { formActionCaller, unexpectedErrorMessage } from "@/lib/portal/action-edge";
import { portalRuntime } from "@/lib/portal/runtime";

export interface PublishRulesState {
  message?: string;
  published?: number;
  fieldErrors?: Record<string, string>;
  /**
   * What the form shows after this answer: the published texts, or what was
   * submitted when it was refused. React resets a form after its action, so
   * without these the fields would fall back to the texts the page was first
   * rendered with - and a second click would publish the old texts again.
   */
  texts?: Record<"textDe" | "textEn" | "privacyDe" | "privacyEn", string>;
  /** Counts the answers, so the form's fields take `texts` each time. */
  round?: number;
}

/** Thin edge: origin, session, zod, one lib call (which checks the admin role in the database). */
export async function publishRulesAction(prev: PublishRulesState, form: FormData): Promise<PublishRulesState> {
  const answer = await publish(form);
  return { ...answer, round: (prev.round ?? 0) + 1 };
}

async function publish(form: FormData): Promise<PublishRulesState> {
  const { signedIn, message } = await formActionCaller();
  if (!signedIn) return { message };
  const { db, log } = portalRuntime();
  const submitted = {
    textDe: String(form.get("textDe") ?? ""),
    textEn: String(form.get("textEn") ?? ""),
    privacyDe: String(form.get("privacyDe") ?? ""),
    privacyEn: String(form.get("privacyEn") ?? ""),
  };
  const parsed = usageRulesForm.safeParse(submitted);
  if (!parsed.success) return { message: "Bitte prüfen Sie die markierten Felder.", fieldErrors: fieldErrors(parsed.error), texts: submitted };
  try {
    const rules = await publishUsageRulesByAdmin(db, signedIn.person.id, parsed.data);
    // The page's "in force" line names the new version.
    revalidatePath("/admin/nutzungsregeln");
    return { published: rules.version, texts: { textDe: rules.textDe, textEn: rules.textEn, privacyDe: rules.privacyDe, privacyEn: rules.privacyEn } };
  } catch (err) {
    if (isAppError(err)) return { message: err.userMessage, fieldErrors: err.fieldErrors, texts: submitted };
    return { message: unexpectedErrorMessage(log, err, "publishing usage rules failed"), texts: submitted };
  }
}
