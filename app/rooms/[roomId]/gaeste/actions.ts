"use server";

import { isSameOriginAction, SESSION_EXPIRED_MESSAGE, unexpectedErrorMessage } from "@/lib/portal/action-edge";
import { guestLinkQrSvg } from "@/lib/guests/guest-link-qr";
import { revalidatePath } from "next/cache";
import { eq } from "drizzle-orm";
import { people } from "@/drizzle/schema";
import { currentSession } from "@/lib/auth/current-session";
import { isAppError } from "@/lib/errors";
import { decideGuest } from "@/lib/guests/guest-admission";
import { createGuestLinkInput } from "@/lib/guests/guest-input";
import { guestInvitationIcs, guestInvitationText } from "@/lib/guests/guest-invitation";
import { createGuestLink, revokeGuestLink, type Moderator } from "@/lib/guests/guest-links";
import { portalGuests } from "@/lib/guests/portal-guests";
import { isRoomId } from "@/lib/matrix/room-id";
import { fieldErrors } from "@/lib/field-errors";
import { z } from "zod";

export interface GuestLinkFormState {
  message?: string;
  fieldErrors?: Record<string, string>;
  /** Shown once: the link with its secret, an invitation text and (for meetings) an .ics. */
  created?: { url: string; label: string; invitation: string; ics: string | null; qrSvg: string };
}

async function moderator(): Promise<Moderator | null> {
  const signedIn = await currentSession();
  if (!signedIn) return null;
  return { person: signedIn.person, matrixUserId: signedIn.matrixUserId };
}

function failure(err: unknown, what: string): GuestLinkFormState {
  if (isAppError(err)) return { message: err.userMessage, fieldErrors: err.fieldErrors };
  return { message: unexpectedErrorMessage(portalGuests().deps.log, err, what) };
}

const gaestePath = (roomId: string) => `/rooms/${encodeURIComponent(roomId)}/gaeste`;

/** Thin edge: session, zod, one lib call (which checks moderation on the homeserver). */
export async function createGuestLinkAction(roomId: string, _prev: GuestLinkFormState, form: FormData): Promise<GuestLinkFormState> {
  if (!isRoomId(roomId) || !(await isSameOriginAction())) return { message: "Ungültige Anfrage." };
  const actor = await moderator();
  if (!actor) return { message: SESSION_EXPIRED_MESSAGE };
  const parsed = createGuestLinkInput.safeParse({
    label: form.get("label") ?? "",
    expiresAt: form.get("expiresAt") || undefined,
    maxUses: form.get("maxUses") || undefined,
    requiresAdmission: form.get("requiresAdmission") === "on",
  });
  if (!parsed.success) return { message: "Bitte prüfen Sie die markierten Felder.", fieldErrors: fieldErrors(parsed.error) };
  const { deps } = portalGuests();
  try {
    const { link, room, url } = await createGuestLink(deps, actor, roomId, parsed.data);
    const organiser = await deps.db.query.people.findFirst({ where: eq(people.id, actor.person.id) });
    const invitation = {
      cityName: deps.config.cityName,
      serverName: deps.config.serverName,
      room,
      link,
      url,
      organiserName: organiser?.displayName ?? actor.person.displayName,
    };
    revalidatePath(gaestePath(roomId));
    return {
      created: {
        url,
        label: link.label,
        invitation: guestInvitationText(invitation),
        ics: guestInvitationIcs(invitation),
        qrSvg: await guestLinkQrSvg(url),
      },
    };
  } catch (err) {
    return failure(err, "guest link creation failed");
  }
}

const idForm = z.object({ id: z.uuid() });

export async function revokeGuestLinkAction(roomId: string, form: FormData): Promise<void> {
  if (!isRoomId(roomId) || !(await isSameOriginAction())) return;
  const actor = await moderator();
  const parsed = idForm.safeParse({ id: form.get("linkId") });
  if (!actor || !parsed.success) return;
  try {
    await revokeGuestLink(portalGuests().deps, actor, roomId, parsed.data.id);
  } catch (err) {
    failure(err, "guest link revocation failed");
  }
  revalidatePath(gaestePath(roomId));
}

export async function decideGuestAction(roomId: string, form: FormData): Promise<void> {
  if (!isRoomId(roomId) || !(await isSameOriginAction())) return;
  const actor = await moderator();
  const parsed = z.object({ id: z.uuid(), decision: z.enum(["admit", "reject"]) }).safeParse({ id: form.get("guestId"), decision: form.get("decision") });
  if (!actor || !parsed.success) return;
  try {
    await decideGuest(portalGuests().deps, actor, roomId, parsed.data.id, parsed.data.decision);
  } catch (err) {
    failure(err, "guest admission failed");
  }
  revalidatePath(gaestePath(roomId));
}
