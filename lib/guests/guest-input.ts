import { z } from "zod";
import { cityLocalToDate } from "../time/berlin-time";
import { cleanGuestName, guestNameProblem } from "./guest-names";
import { MAX_USES_LIMIT } from "./link-policy";

/** The moderator's form: everything optional except what has a sensible default. */
export const createGuestLinkInput = z
  .object({
    label: z.string().trim().max(120, "Die Bezeichnung darf höchstens 120 Zeichen lang sein.").default(""),
    /** datetime-local in the city's time zone; empty = default (meeting end + grace, or N days). */
    expiresAt: z.string().max(32).optional(),
    maxUses: z.coerce
      .number({ error: "Bitte geben Sie eine Zahl an." })
      .int("Bitte geben Sie eine ganze Zahl an.")
      .min(1, "Mindestens eine Nutzung.")
      .max(MAX_USES_LIMIT, `Höchstens ${MAX_USES_LIMIT} Nutzungen.`)
      .default(1),
    requiresAdmission: z.boolean().default(false),
  })
  .transform((v, ctx) => {
    let expiresAt: Date | null = null;
    if (v.expiresAt) {
      expiresAt = cityLocalToDate(v.expiresAt);
      if (!expiresAt) ctx.addIssue({ code: "custom", path: ["expiresAt"], message: "Bitte geben Sie Datum und Uhrzeit an." });
    }
    return { ...v, expiresAt };
  });

export type CreateGuestLinkInput = z.output<typeof createGuestLinkInput>;

/** The secret travels only in request bodies; its shape is checked by isWellFormedSecret. */
export const lookUpInput = z.object({ secret: z.string().max(200) });

export const redeemInput = z.object({
  secret: z.string().max(200),
  displayName: z
    .string()
    .max(200)
    .transform((v) => cleanGuestName(v))
    .superRefine((v, ctx) => {
      const problem = guestNameProblem(v);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    }),
  /** The box must be ticked: acceptance is recorded with this version. */
  acceptRules: z.literal(true, { error: "rules-not-accepted" }),
  rulesVersion: z.number().int().min(1),
});

export type RedeemInput = z.output<typeof redeemInput>;
