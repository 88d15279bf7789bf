"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { isAppError } from "@/lib/errors";
import { isRoomId } from "@/lib/matrix/room-id";
import { postponeDeletionOnce } from "@/lib/lifecycle/room-retention-actions";
import { redirectActionCaller } from "@/lib/portal/action-edge";
import { portalRuntime } from "@/lib/portal/runtime";

/** "Löschung verschieben": the power level is read from the homeserver inside postponeDeletionOnce. */
export async function postponeDeletionAction(form: FormData): Promise<void> {
  const { db, service } = portalRuntime();
  const roomId = z.string().refine(isRoomId).safeParse(form.get("roomId"));
  if (!roomId.success) redirect("/");
  const page = `/rooms/${encodeURIComponent(roomId.data)}`;
  const signedIn = await redirectActionCaller(`${page}?aufbewahrung=herkunft`);
  let target = `${page}?aufbewahrung=verschoben`;
  try {
    await postponeDeletionOnce({ db, service, now: () => new Date() }, roomId.data, signedIn.matrixUserId);
  } catch (err) {
    if (!isAppError(err)) throw err;
    target = `${page}?aufbewahrung=${encodeURIComponent(err.code)}`;
  }
  redirect(target);
}
