"use server";

import { headers } from "next/headers";
import { currentSession } from "@/lib/auth/current-session";
import { isAppError } from "@/lib/errors";
import { publishUsageRulesByAdmin, usageRulesForm } from "@/lib/guests/usage-rules-admin";
import { fieldErrors } from "@/lib/rooms/create-room-input";
import { portalRuntime } from "@/lib/portal/runtime";
import { isSameOriginRequest } from "@/lib/security/same-origin";

export interface PublishRulesState {
  message?: string;
  published?: number;
  fieldErrors?: Record<string, string>;
}

/** Thin edge: origin, session, zod, one lib call (which checks the admin role in the database). */
export async function publishRulesAction(_prev: PublishRulesState, form: FormData): Promise<PublishRulesState> {
  const { config, db, log } = portalRuntime();
  if (!isSameOriginRequest(await headers(), config.portal.url)) {
    return { message: "Die Anfrage kam nicht von dieser Seite und wurde abgelehnt." };
  }
  const signedIn = await currentSession();
  if (!signedIn) return { message: "Ihre Sitzung ist abgelaufen. Bitte melden Sie sich neu an." };
  const parsed = usageRulesForm.safeParse({
    textDe: form.get("textDe") ?? "",
    textEn: form.get("textEn") ?? "",
    privacyDe: form.get("privacyDe") ?? "",
    privacyEn: form.get("privacyEn") ?? "",
  });
  if (!parsed.success) return { message: "Bitte prüfen Sie die markierten Felder.", fieldErrors: fieldErrors(parsed.error) };
  try {
    const rules = await publishUsageRulesByAdmin(db, signedIn.person.id, parsed.data);
    return { published: rules.version };
  } catch (err) {
    if (isAppError(err)) return { message: err.userMessage, fieldErrors: err.fieldErrors };
    const errorId = crypto.randomUUID();
    log.error({ errorId, err }, "publishing usage rules failed");
    return { message: `Unerwarteter Fehler (Fehler-ID ${errorId}). Bitte versuchen Sie es erneut.` };
  }
}
