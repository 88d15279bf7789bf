import { z } from "zod";
import { cityLocalToDate } from "../time/berlin-time";

const MAX_AT_ONCE = 200;
const matrixUserId = z.string().regex(/^@[^:\s]+:[^\s]+$/, "Ungültige Chat-Kennung");
/** Login names or e-mail addresses of people who never signed in: invited at their first sign-in, as at creation. */
const login = z.string().trim().toLowerCase().regex(/^[a-z0-9._%+@-]{2,254}$/, "Ungültiger Anmeldename oder ungültige E-Mail-Adresse");

/** What the organiser can change on the edit page; validated at the edge, checked again against the homeserver. */
export const meetingChangeInput = z.discriminatedUnion("kind", [
  z
    .object({
      kind: z.literal("add"),
      participantIds: z.array(z.uuid("Unbekannte Person")).max(MAX_AT_ONCE).default([]),
      inviteLogins: z.array(login).max(MAX_AT_ONCE).default([]),
    })
    .refine((v) => v.participantIds.length + v.inviteLogins.length > 0, {
      path: ["participantIds"],
      message: "Bitte wählen Sie mindestens eine Person.",
    }),
  z.object({
    kind: z.literal("remove"),
    userIds: z.array(matrixUserId).min(1, "Bitte wählen Sie mindestens eine Person.").max(MAX_AT_ONCE),
  }),
  z.object({
    kind: z.literal("details"),
    name: z.string().trim().min(1, "Bitte geben Sie einen Namen ein.").max(120, "Der Name darf höchstens 120 Zeichen lang sein."),
    topic: z.string().trim().max(500, "Die Beschreibung darf höchstens 500 Zeichen lang sein.").default(""),
    /** Wall-clock time in Berlin ("2026-12-01T10:00"), as the form's datetime-local sends it. */
    startsAt: z.string().optional(),
    endsAt: z.string().optional(),
  }),
  z.object({ kind: z.literal("cancel") }),
]);
export type MeetingChange = z.infer<typeof meetingChangeInput>;
/** What callers hand in (defaults not yet applied); requestMeetingChange validates it again. */
export type MeetingChangeInput = z.input<typeof meetingChangeInput>;

/** Berlin wall-clock strings → instants, with the same messages as room creation. */
export function meetingTimes(
  input: { startsAt?: string; endsAt?: string },
): { ok: true; startsAt: Date; endsAt: Date } | { ok: false; fieldErrors: Record<string, string> } {
  const startsAt = input.startsAt ? cityLocalToDate(input.startsAt) : null;
  const endsAt = input.endsAt ? cityLocalToDate(input.endsAt) : null;
  const fieldErrors: Record<string, string> = {};
  if (!startsAt) fieldErrors.startsAt = "Bitte geben Sie den Beginn an.";
  if (!endsAt) fieldErrors.endsAt = "Bitte geben Sie das Ende an.";
  if (startsAt && endsAt && endsAt <= startsAt) fieldErrors.endsAt = "Das Ende muss nach dem Beginn liegen.";
  if (!startsAt || !endsAt || Object.keys(fieldErrors).length > 0) return { ok: false, fieldErrors };
  return { ok: true, startsAt, endsAt };
}
