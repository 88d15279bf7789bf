"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { isAppError } from "@/lib/errors";
import { lockAccessByAdmin } from "@/lib/people/admin-access";
import { redirectActionCaller } from "@/lib/portal/action-edge";
import { erasePersonForAdmin } from "@/lib/privacy/subject-requests";

const PAGE = "/admin/people";
const input = z.object({ personId: z.uuid() });

/** "Zugang sperren": the admin role is checked in lib/people/admin-access against the database. */
export async function lockAccessAction(formData: FormData): Promise<void> {
  const signedIn = await redirectActionCaller(`${PAGE}?fehler=herkunft`);
  const parsed = input.safeParse({ personId: formData.get("personId") });
  if (!parsed.success) redirect(`${PAGE}?fehler=eingabe`);

  let target: string;
  try {
    const outcome = await lockAccessByAdmin(signedIn.person.id, parsed.data.personId);
    target = outcome.ok
      ? `${PAGE}?gesperrt=${outcome.person.id}${outcome.result.problems.length > 0 ? "&unvollstaendig=1" : ""}`
      : `${PAGE}?fehler=${outcome.reason === "self" ? "selbst" : "unbekannt"}`;
  } catch (err) {
    if (isAppError(err) && err.code === "not-admin") target = `${PAGE}?fehler=keine-berechtigung`;
    else throw err;
  }
  redirect(target);
}

/** "Personendaten löschen" (GDPR Art. 17), after the confirm step; running it again completes a run that stopped. */
export async function eraseDataAction(formData: FormData): Promise<void> {
  const signedIn = await redirectActionCaller(`${PAGE}?fehler=herkunft`);
  const parsed = input.safeParse({ personId: formData.get("personId") });
  if (!parsed.success || formData.get("bestaetigt") !== "ja") redirect(`${PAGE}?fehler=eingabe`);

  let target: string;
  try {
    const outcome = await erasePersonForAdmin(signedIn.person.id, parsed.data.personId);
    target = outcome.ok ? `${PAGE}?geloescht=${parsed.data.personId}` : `${PAGE}?fehler=selbst-loeschen`;
  } catch (err) {
    if (!isAppError(err)) throw err;
    const reason: Record<string, string> = {
      "not-admin": "keine-berechtigung",
      "unknown-person": "unbekannt",
      "homeserver-unavailable": "chatserver",
      "handover-failed": "uebergabe",
    };
    target = `${PAGE}?fehler=${reason[err.code] ?? "loeschen"}`;
  }
  redirect(target);
}
