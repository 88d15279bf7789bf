"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { isAppError } from "@/lib/errors";
import { invitePartnerUser } from "@/lib/federation/invite-partner-user";
import { isRoomId } from "@/lib/matrix/room-id";
import { profileLookup } from "@/lib/federation/profile-lookup";
import { requireRoomAdmin, setRoomPartners } from "@/lib/federation/room-partners";
import { redirectActionCaller } from "@/lib/portal/action-edge";
import { portalRuntime } from "@/lib/portal/runtime";
import { findRoomByMatrixId } from "@/lib/rooms/room-list";

// Room version 12 ids are `!hash` without a server part.
const roomIdSchema = z.string().refine(isRoomId);
const page = (roomId: string, query: string) => `/rooms/${encodeURIComponent(roomId)}/partner?${query}`;

/** "Für Partner öffnen": room admins only (power level from the homeserver). */
export async function saveRoomPartnersAction(form: FormData): Promise<void> {
  const roomId = roomIdSchema.safeParse(form.get("roomId"));
  if (!roomId.success) redirect("/");
  const signedIn = await redirectActionCaller(page(roomId.data, "fehler=herkunft"));
  const partnerIds = z.array(z.uuid()).max(50).safeParse(form.getAll("partnerIds"));
  if (!partnerIds.success) redirect(page(roomId.data, "fehler=eingabe"));
  const { db, service } = portalRuntime();
  let target: string;
  try {
    const room = await findRoomByMatrixId(db, roomId.data);
    if (!room) redirect("/");
    await requireRoomAdmin(service, roomId.data, signedIn.matrixUserId);
    await setRoomPartners(db, {
      room,
      partnerIds: partnerIds.data,
      actor: signedIn.matrixUserId ?? `person:${signedIn.person.id}`,
      actorPersonId: signedIn.person.id,
    });
    target = page(roomId.data, "gespeichert=1");
  } catch (err) {
    if (!isAppError(err)) throw err;
    target = page(roomId.data, `fehler=${encodeURIComponent(err.code)}`);
  }
  redirect(target);
}

/** Invite a partner user by Matrix id; refused before any homeserver call unless the server is a partner opened here. */
export async function invitePartnerUserAction(form: FormData): Promise<void> {
  const roomId = roomIdSchema.safeParse(form.get("roomId"));
  if (!roomId.success) redirect("/");
  const signedIn = await redirectActionCaller(page(roomId.data, "fehler=herkunft"));
  const invitee = String(form.get("userId") ?? "").slice(0, 300);
  const rt = portalRuntime();
  let target: string;
  try {
    const invited = await invitePartnerUser(
      { db: rt.db, service: rt.service, lookupProfile: profileLookup(rt.config) },
      { matrixRoomId: roomId.data, inviterUserId: signedIn.matrixUserId, invitee },
    );
    target = page(roomId.data, `eingeladen=${encodeURIComponent(`${invited.displayName} (${invited.organisation})`)}`);
  } catch (err) {
    if (!isAppError(err)) throw err;
    target = page(roomId.data, `fehler=${encodeURIComponent(err.code)}&id=${encodeURIComponent(invitee)}`);
  }
  redirect(target);
}
