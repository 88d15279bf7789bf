"use server";

import { redirect } from "next/navigation";
import { isAppError } from "@/lib/errors";
import { createRoomForPerson } from "@/lib/portal/rooms";
import { assertApprovedPartners, openNewRoomToPartners } from "@/lib/federation/room-partners";
import { formActionCaller, unexpectedErrorMessage } from "@/lib/portal/action-edge";
import { portalRuntime } from "@/lib/portal/runtime";
import { fieldErrors } from "@/lib/field-errors";
import { createRoomInput } from "@/lib/rooms/create-room-input";

export interface CreateRoomState {
  message?: string;
  fieldErrors?: Record<string, string>;
}

/** Thin edge: origin, session, zod, one lib call; errors become messages for the form, never stack traces. */
export async function createRoomAction(_prev: CreateRoomState, form: FormData): Promise<CreateRoomState> {
  const { signedIn, message } = await formActionCaller();
  if (!signedIn) return { message };
  const parsed = createRoomInput.safeParse({
    kind: form.get("kind"),
    name: form.get("name") ?? "",
    topic: form.get("topic") ?? "",
    startsAt: form.get("startsAt") || undefined,
    endsAt: form.get("endsAt") || undefined,
    participantIds: form.getAll("participantIds").filter((v) => v !== ""),
    inviteLogins: form.get("inviteLogins") ?? "",
    access: form.get("access") ?? "invited",
    department: form.get("department") ?? undefined,
    partnersAllowed: form.get("partnersAllowed") === "on",
    idempotencyKey: form.get("idempotencyKey"),
  });
  if (!parsed.success) return { message: "Bitte prüfen Sie die markierten Felder.", fieldErrors: fieldErrors(parsed.error) };

  const partnerIds = form.getAll("partnerIds").map(String);
  let roomId: string;
  try {
    // Partners are checked before the room exists, so a refused choice creates nothing.
    await assertApprovedPartners(portalRuntime().db, partnerIds);
    const room = await createRoomForPerson(signedIn.person, parsed.data);
    roomId = room.matrixRoomId!;
    // The organiser is the new room's admin; the bots write the room's server ACL from this.
    await openNewRoomToPartners(portalRuntime().db, room, partnerIds, signedIn.person.id);
  } catch (err) {
    if (isAppError(err)) return { message: err.userMessage, fieldErrors: err.fieldErrors };
    return { message: unexpectedErrorMessage(portalRuntime().log, err, "room creation failed") };
  }
  redirect(`/rooms/${encodeURIComponent(roomId)}`);
}
