import { z } from "zod";
import { cityLocalToDate } from "../time/berlin-time";

const MAX_PARTICIPANTS = 200;

/** Login names and e-mail addresses typed by the organiser, one per line or comma-separated. */
const loginList = z
  .string()
  .max(10_000)
  .transform((v) =>
    [...new Set(v.split(/[\s,;]+/).map((s) => s.trim().toLowerCase()).filter(Boolean))],
  )
  .pipe(
    z
      .array(z.string().regex(/^[a-z0-9._%+@-]{2,254}$/, "Ungültiger Anmeldename oder ungültige E-Mail-Adresse"))
      .max(MAX_PARTICIPANTS, `Höchstens ${MAX_PARTICIPANTS} Einladungen auf einmal`),
  );

export const createRoomInput = z
  .object({
    kind: z.enum(["meeting", "team", "direct"], { error: "Bitte wählen Sie die Art des Raums." }),
    name: z
      .string()
      .trim()
      .min(1, "Bitte geben Sie einen Namen ein.")
      .max(120, "Der Name darf höchstens 120 Zeichen lang sein."),
    topic: z.string().trim().max(500, "Die Beschreibung darf höchstens 500 Zeichen lang sein.").default(""),
    startsAt: z.string().optional(),
    endsAt: z.string().optional(),
    participantIds: z.array(z.uuid("Unbekannte Person")).max(MAX_PARTICIPANTS).default([]),
    inviteLogins: loginList.default([]),
    // Who may join: invited people only, or through a restricted join rule a department's or the city's members.
    access: z.enum(["invited", "department", "city"], { error: "Bitte wählen Sie, wer beitreten darf." }).default("invited"),
    department: z.string().trim().max(200).optional(),
    partnersAllowed: z.boolean().default(false),
    idempotencyKey: z.uuid("Das Formular ist abgelaufen. Bitte laden Sie die Seite neu."),
  })
  .transform((v, ctx) => {
    let startsAt: Date | null = null;
    let endsAt: Date | null = null;
    if (v.kind === "meeting") {
      startsAt = v.startsAt ? cityLocalToDate(v.startsAt) : null;
      endsAt = v.endsAt ? cityLocalToDate(v.endsAt) : null;
      if (!startsAt) ctx.addIssue({ code: "custom", path: ["startsAt"], message: "Bitte geben Sie den Beginn an." });
      if (!endsAt) ctx.addIssue({ code: "custom", path: ["endsAt"], message: "Bitte geben Sie das Ende an." });
      if (startsAt && endsAt && endsAt <= startsAt) {
        ctx.addIssue({ code: "custom", path: ["endsAt"], message: "Das Ende muss nach dem Beginn liegen." });
      }
    }
    if (v.kind === "direct" && v.participantIds.length + v.inviteLogins.length !== 1) {
      ctx.addIssue({ code: "custom", path: ["participantIds"], message: "Ein Einzelchat hat genau eine weitere Person." });
    }
    if (v.access === "department" && !v.department) {
      ctx.addIssue({ code: "custom", path: ["department"], message: "Bitte wählen Sie eine Abteilung." });
    }
    if (v.access !== "invited" && v.kind === "direct") {
      ctx.addIssue({ code: "custom", path: ["access"], message: "Einem Einzelchat kann niemand ohne Einladung beitreten." });
    }
    return { ...v, startsAt, endsAt, department: v.access === "department" ? (v.department ?? null) : null };
  });

export type CreateRoomInput = z.output<typeof createRoomInput>;

/**
 * The department a room may be opened to: staff choose one of their own
 * departments, admins any department the directory knows. Field errors, or
 * null when the choice is allowed.
 */
export function checkDepartmentChoice(
  input: Pick<CreateRoomInput, "access" | "department">,
  organiser: { role: "staff" | "admin"; departments: readonly string[] },
  knownDepartments: readonly string[],
): Record<string, string> | null {
  if (input.access !== "department" || !input.department) return null;
  if (organiser.role === "admin") {
    return knownDepartments.includes(input.department) ? null : { department: "Diese Abteilung ist nicht bekannt." };
  }
  return organiser.departments.includes(input.department)
    ? null
    : { department: "Sie können einen Raum nur für eine Ihrer eigenen Abteilungen öffnen." };
}
