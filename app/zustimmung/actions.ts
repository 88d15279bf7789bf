"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { isAppError } from "@/lib/errors";
import { acceptRulesAsStaff, homeserverConsentFrom } from "@/lib/policy/staff-consent";
import { redirectActionCaller } from "@/lib/portal/action-edge";
import { portalRuntime } from "@/lib/portal/runtime";

const input = z.object({ version: z.coerce.number().int().min(1) });

/** "Ich stimme zu": records the acceptance and tells the homeserver; then on to the dashboard. */
export async function acceptRulesAction(form: FormData): Promise<void> {
  const { config, db, log } = portalRuntime();
  const signedIn = await redirectActionCaller("/zustimmung?fehler=herkunft");
  const parsed = input.safeParse({ version: form.get("version") });
  if (!parsed.success) redirect("/zustimmung?fehler=eingabe");
  try {
    await acceptRulesAsStaff({ db, homeserver: homeserverConsentFrom(config), log }, signedIn.person, signedIn.matrixUserId, parsed.data.version);
  } catch (err) {
    if (isAppError(err) && err.code === "rules-outdated") redirect("/zustimmung?fehler=neue-fassung");
    throw err;
  }
  redirect("/");
}
