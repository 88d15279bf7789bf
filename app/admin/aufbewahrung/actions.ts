"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { currentSession } from "@/lib/auth/current-session";
import { isAppError } from "@/lib/errors";
import { keepRoomPermanently, releaseRoomKeep, setRoomPeriod } from "@/lib/lifecycle/room-retention-actions";
import { retryFlaggedJobByAdmin, saveRetentionPolicyByAdmin } from "@/lib/lifecycle/retention-admin";
import { portalRuntime } from "@/lib/portal/runtime";
import { isSameOriginRequest } from "@/lib/security/same-origin";

const PAGE = "/admin/aufbewahrung";
const POLICY_FIELDS = [
  "meetingDeleteAfterDays",
  "meetingWarnDaysBefore",
  "teamWarnAfterDays",
  "teamDeleteAfterDays",
  "directWarnAfterDays",
  "directDeleteAfterDays",
  "guestEraseAfterDays",
  "postponeDays",
  "maxRoomOverrideDays",
  "messageRetentionDays",
] as const;

export interface SavePolicyState {
  message?: string;
  saved?: number;
  fieldErrors?: Record<string, string>;
  values?: Record<string, string>;
}

/** Thin edge: origin, session, one lib call that checks the admin role and validates every field. */
export async function savePolicyAction(_prev: SavePolicyState, form: FormData): Promise<SavePolicyState> {
  const { config, db, log } = portalRuntime();
  if (!isSameOriginRequest(await headers(), config.portal.url)) return { message: "Die Anfrage kam nicht von dieser Seite und wurde abgelehnt." };
  const signedIn = await currentSession();
  if (!signedIn) return { message: "Ihre Sitzung ist abgelaufen. Bitte melden Sie sich neu an." };
  const values = Object.fromEntries(POLICY_FIELDS.map((k) => [k, String(form.get(k) ?? "")]));
  try {
    const result = await saveRetentionPolicyByAdmin(db, signedIn.person.id, values);
    if (!result.ok) return { message: "Nicht gespeichert – bitte prüfen Sie die markierten Felder. Die bisherige Richtlinie gilt weiter.", fieldErrors: result.fieldErrors, values };
    return { saved: result.policy.version };
  } catch (err) {
    if (isAppError(err)) return { message: err.userMessage, values };
    const errorId = crypto.randomUUID();
    log.error({ errorId, err }, "saving the retention policy failed");
    return { message: `Unerwarteter Fehler (Fehler-ID ${errorId}). Bitte versuchen Sie es erneut.`, values };
  }
}

const roomInput = z.object({ roomId: z.string().regex(/^![^:]+:.+$/) });

async function guarded(form: FormData, run: (actorId: string, roomId: string) => Promise<void>, okParam: string): Promise<never> {
  const { config } = portalRuntime();
  if (!isSameOriginRequest(await headers(), config.portal.url)) redirect(`${PAGE}?fehler=herkunft`);
  const signedIn = await currentSession();
  if (!signedIn) redirect("/");
  const parsed = roomInput.safeParse({ roomId: form.get("roomId") });
  if (!parsed.success) redirect(`${PAGE}?fehler=eingabe`);
  let target = `${PAGE}?${okParam}=1`;
  try {
    await run(signedIn.person.id, parsed.data.roomId);
  } catch (err) {
    if (!isAppError(err)) throw err;
    target = `${PAGE}?meldung=${encodeURIComponent(err.userMessage)}`;
  }
  redirect(target);
}

export async function keepRoomAction(form: FormData): Promise<void> {
  const { db } = portalRuntime();
  await guarded(form, (actor, roomId) => keepRoomPermanently({ db, now: () => new Date() }, actor, roomId, { reason: form.get("reason") ?? "" }), "behalten");
}

export async function releaseKeepAction(form: FormData): Promise<void> {
  const { db } = portalRuntime();
  await guarded(form, (actor, roomId) => releaseRoomKeep({ db, now: () => new Date() }, actor, roomId), "freigegeben");
}

export async function setRoomPeriodAction(form: FormData): Promise<void> {
  const { db } = portalRuntime();
  await guarded(form, (actor, roomId) => setRoomPeriod({ db, now: () => new Date() }, actor, roomId, { days: form.get("days") ?? "" }), "frist");
}

export async function retryJobAction(form: FormData): Promise<void> {
  const { config, db } = portalRuntime();
  if (!isSameOriginRequest(await headers(), config.portal.url)) redirect(`${PAGE}?fehler=herkunft`);
  const signedIn = await currentSession();
  if (!signedIn) redirect("/");
  const jobId = z.uuid().safeParse(form.get("jobId"));
  if (!jobId.success) redirect(`${PAGE}?fehler=eingabe`);
  let target = `${PAGE}?erneut=1`;
  try {
    await retryFlaggedJobByAdmin(db, signedIn.person.id, jobId.data, new Date());
  } catch (err) {
    if (!isAppError(err)) throw err;
    target = `${PAGE}?meldung=${encodeURIComponent(err.userMessage)}`;
  }
  redirect(target);
}
