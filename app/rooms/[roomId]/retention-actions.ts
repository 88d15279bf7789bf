"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { currentSession } from "@/lib/auth/current-session";
import { isAppError } from "@/lib/errors";
import { postponeDeletionOnce } from "@/lib/lifecycle/room-retention-actions";
import { portalRuntime } from "@/lib/portal/runtime";
import { isSameOriginRequest } from "@/lib/security/same-origin";

/** "Löschung verschieben": the power level is read from the homeserver inside postponeDeletionOnce. */
export async function postponeDeletionAction(form: FormData): Promise<void> {
  const { config, db, service } = portalRuntime();
  const roomId = z.string().regex(/^![^:]+:.+$/).safeParse(form.get("roomId"));
  if (!roomId.success) redirect("/");
  const page = `/rooms/${encodeURIComponent(roomId.data)}`;
  if (!isSameOriginRequest(await headers(), config.portal.url)) redirect(`${page}?aufbewahrung=herkunft`);
  const signedIn = await currentSession();
  if (!signedIn) redirect("/");
  let target = `${page}?aufbewahrung=verschoben`;
  try {
    await postponeDeletionOnce({ db, service, now: () => new Date() }, roomId.data, signedIn.matrixUserId);
  } catch (err) {
    if (!isAppError(err)) throw err;
    target = `${page}?aufbewahrung=${encodeURIComponent(err.code)}`;
  }
  redirect(target);
}
