"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { isAppError } from "@/lib/errors";
import { isRoomId } from "@/lib/matrix/room-id";
import { keepRoomPermanently, releaseRoomKeep, setRoomPeriod } from "@/lib/lifecycle/room-retention-actions";
import { retryFlaggedJobByAdmin, saveRetentionPolicyByAdmin } from "@/lib/lifecycle/retention-admin";
import { formActionCaller, redirectActionCaller, unexpectedErrorMessage } from "@/lib/portal/action-edge";
import { portalRuntime } from "@/lib/portal/runtime";

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
  const { signedIn, message } = await formActionCaller();
  if (!signedIn) return { message };
  const { db, log } = portalRuntime();
  const values = Object.fromEntries(POLICY_FIELDS.map((k) => [k, String(form.get(k) ?? "")]));
  try {
    const result = await saveRetentionPolicyByAdmin(db, signedIn.person.id, values);
    if (!result.ok) return { message: "Nicht gespeichert – bitte prüfen Sie die markierten Felder. Die bisherige Richtlinie gilt weiter.", fieldErrors: result.fieldErrors, values };
    return { saved: result.policy.version };
  } catch (err) {
    if (isAppError(err)) return { message: err.userMessage, values };
    return { message: unexpectedErrorMessage(log, err, "saving the retention policy failed"), values };
  }
}

const roomInput = z.object({ roomId: z.string().refine(isRoomId) });

async function guarded(form: FormData, run: (actorId: string, roomId: string) => Promise<void>, okParam: string): Promise<never> {
  const signedIn = await redirectActionCaller(`${PAGE}?fehler=herkunft`);
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
  const signedIn = await redirectActionCaller(`${PAGE}?fehler=herkunft`);
  const { db } = portalRuntime();
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
