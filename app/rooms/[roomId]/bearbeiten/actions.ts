"use server";

import { revalidatePath } from "next/cache";
import { inArray, or } from "drizzle-orm";
import { people } from "@/drizzle/schema";
import { currentSession } from "@/lib/auth/current-session";
import { isAppError } from "@/lib/errors";
import { meetingChangeInput } from "@/lib/invitations/meeting-change-input";
import { requestMeetingChange } from "@/lib/invitations/meeting-changes";
import { isRoomId } from "@/lib/matrix/room-id";
import { isSameOriginAction, SESSION_EXPIRED_MESSAGE, unexpectedErrorMessage } from "@/lib/portal/action-edge";
import { portalRuntime } from "@/lib/portal/runtime";
import { fieldErrors } from "@/lib/field-errors";

export interface ChangeFormState {
  message?: string;
  done?: string;
  fieldErrors?: Record<string, string>;
}

const DONE: Record<string, string> = {
  add: "Die Einladungen werden verschickt. Wer sich noch nie angemeldet hat, wird bei der ersten Anmeldung eingeladen.",
  remove: "Die Personen werden ausgeladen.",
  details: "Die Änderung wird übernommen und im Raum angekündigt.",
  cancel: "Die Besprechung ist abgesagt. Die Teilnehmenden werden benachrichtigt.",
};

/** Login names or e-mail addresses → people the directory knows; the others are invited at their first sign-in. */
async function participantIdsFor(raw: string): Promise<{ ids: string[]; unknown: string[] }> {
  const logins = [...new Set(raw.split(/[\s,;]+/).map((s) => s.trim().toLowerCase()).filter(Boolean))].slice(0, 200);
  if (logins.length === 0) return { ids: [], unknown: [] };
  const found = await portalRuntime()
    .db.select({ id: people.id, username: people.username, email: people.email })
    .from(people)
    .where(or(inArray(people.username, logins), inArray(people.email, logins)));
  const known = new Set(found.flatMap((p) => [p.username?.toLowerCase(), p.email?.toLowerCase()]));
  return { ids: found.map((p) => p.id), unknown: logins.filter((l) => !known.has(l)) };
}

/**
 * One thin edge for every change: same-origin, session, zod, then one lib
 * call, which checks the person's power in the room on the homeserver.
 */
export async function changeMeetingAction(roomId: string, _prev: ChangeFormState, form: FormData): Promise<ChangeFormState> {
  const { db, service, log } = portalRuntime();
  if (!isRoomId(roomId) || !(await isSameOriginAction())) return { message: "Ungültige Anfrage." };
  const signedIn = await currentSession();
  if (!signedIn) return { message: SESSION_EXPIRED_MESSAGE };

  const kind = form.get("kind");
  let candidate: unknown;
  if (kind === "add") {
    const { ids, unknown } = await participantIdsFor(String(form.get("logins") ?? ""));
    candidate = { kind, participantIds: ids, inviteLogins: unknown };
  } else if (kind === "remove") {
    candidate = { kind, userIds: form.getAll("userIds").map(String) };
  } else if (kind === "details") {
    candidate = { kind, name: form.get("name") ?? "", topic: form.get("topic") ?? "", startsAt: form.get("startsAt") || undefined, endsAt: form.get("endsAt") || undefined };
  } else {
    candidate = { kind };
  }
  const parsed = meetingChangeInput.safeParse(candidate);
  if (!parsed.success) return { message: "Bitte prüfen Sie die markierten Felder.", fieldErrors: fieldErrors(parsed.error) };
  try {
    await requestMeetingChange({ db, service }, { person: signedIn.person, matrixUserId: signedIn.matrixUserId }, roomId, parsed.data);
  } catch (err) {
    if (isAppError(err)) return { message: err.userMessage, fieldErrors: err.fieldErrors };
    return { message: unexpectedErrorMessage(log, err, "meeting change failed") };
  }
  revalidatePath(`/rooms/${encodeURIComponent(roomId)}`);
  revalidatePath(`/rooms/${encodeURIComponent(roomId)}/bearbeiten`);
  return { done: DONE[parsed.data.kind] };
}
