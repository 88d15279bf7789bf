import { z } from "zod";
import { DEFAULT_LINK_DAYS, MAX_LINK_DAYS, MAX_USES_LIMIT, MEETING_GRACE_HOURS } from "../guests/link-policy";
import { managedRoomTemplate, type PowerLevelsContent } from "./power-levels";

/**
 * The city's usage policy as admins edit it: one zod schema for the admin
 * page, the database row and the bots. The defaults are what the code
 * enforced before the policy lived in the database, so an installation
 * without a stored version behaves exactly as before.
 */

const level = (label: string) =>
  z.coerce
    .number({ error: `${label}: bitte eine Zahl von 0 bis 100.` })
    .int(`${label}: bitte eine ganze Zahl.`)
    .min(0, `${label}: mindestens 0.`)
    .max(100, `${label}: höchstens 100.`);

/** Staff moderators hold 50: flood protection and its exemption use the same line. */
export const MODERATOR_LEVEL = 50;

const MIME_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/;
/** Room names are at most this long anyway; a longer rule is a mistake (and a ReDoS risk). */
const MAX_RULE_LENGTH = 200;

export const powerLevelPolicySchema = z
  .object({
    invite: level("Einladen"),
    widgets: level("Widgets und Raumeinstellungen"),
    redact: level("Nachrichten löschen"),
    kick: level("Entfernen"),
    ban: level("Sperren"),
  })
  .superRefine((p, ctx) => {
    // Removing or banning people is never everyone's right, and whoever may ban may kick.
    if (p.kick < 1) ctx.addIssue({ code: "custom", path: ["kick"], message: "Entfernen: mindestens 1 (nicht jedes Mitglied)." });
    if (p.ban < 1) ctx.addIssue({ code: "custom", path: ["ban"], message: "Sperren: mindestens 1 (nicht jedes Mitglied)." });
    if (p.ban < p.kick) ctx.addIssue({ code: "custom", path: ["ban"], message: "Sperren darf nicht niedriger sein als Entfernen." });
    if (p.widgets < 1) ctx.addIssue({ code: "custom", path: ["widgets"], message: "Widgets: mindestens 1 (nicht jedes Mitglied)." });
  });

export const guestLimitsSchema = z
  .object({
    meetingGraceHours: z.coerce.number().int().min(0, "Mindestens 0 Stunden.").max(48, "Höchstens 48 Stunden."),
    defaultLinkDays: z.coerce.number().int().min(1, "Mindestens 1 Tag.").max(365, "Höchstens 365 Tage."),
    maxLinkDays: z.coerce.number().int().min(1, "Mindestens 1 Tag.").max(365, "Höchstens 365 Tage."),
    // The link form's own ceiling: admins may lower it, not raise it.
    maxUses: z.coerce.number().int().min(1, "Mindestens 1.").max(MAX_USES_LIMIT, `Höchstens ${MAX_USES_LIMIT}.`),
  })
  .superRefine((g, ctx) => {
    if (g.defaultLinkDays > g.maxLinkDays) {
      ctx.addIssue({ code: "custom", path: ["defaultLinkDays"], message: "Die Standard-Gültigkeit darf die höchste nicht überschreiten." });
    }
  });

export const attachmentPolicySchema = z.object({
  allowedTypes: z
    .array(z.string().trim().toLowerCase().regex(MIME_TYPE, "Kein gültiger Dateityp (z. B. application/pdf)."))
    .min(1, "Mindestens ein Dateityp.")
    .max(100, "Höchstens 100 Dateitypen."),
  maxBytes: z.coerce
    .number()
    .int()
    .min(1024, "Mindestens 1 KiB.")
    .max(1024 * 1024 * 1024, "Höchstens 1 GiB."),
});

export const floodPolicySchema = z.object({
  enabled: z.boolean(),
  messages: z.coerce.number().int().min(2, "Mindestens 2 Nachrichten.").max(1000, "Höchstens 1000 Nachrichten."),
  windowSeconds: z.coerce.number().int().min(1, "Mindestens 1 Sekunde.").max(3600, "Höchstens eine Stunde."),
  muteMinutes: z.coerce.number().int().min(1, "Mindestens 1 Minute.").max(24 * 60, "Höchstens 24 Stunden."),
});

export const roomNamingSchema = z
  .discriminatedUnion("kind", [
    z.object({ kind: z.literal("none") }),
    z.object({ kind: z.literal("prefix"), value: z.string().trim().min(1, "Bitte ein Präfix angeben.").max(MAX_RULE_LENGTH) }),
    z.object({ kind: z.literal("regex"), value: z.string().trim().min(1, "Bitte einen Ausdruck angeben.").max(MAX_RULE_LENGTH) }),
  ])
  .superRefine((rule, ctx) => {
    if (rule.kind !== "regex") return;
    try {
      new RegExp(rule.value, "u");
    } catch {
      ctx.addIssue({ code: "custom", path: ["value"], message: "Kein gültiger regulärer Ausdruck." });
    }
  });

export const usagePolicySchema = z.object({
  powerLevels: powerLevelPolicySchema,
  guests: guestLimitsSchema,
  attachments: attachmentPolicySchema,
  flood: floodPolicySchema,
  roomNaming: roomNamingSchema,
});

export type UsagePolicy = z.infer<typeof usagePolicySchema>;
export type RoomNamingRule = z.infer<typeof roomNamingSchema>;

/** What the code enforced before the policy was stored: the template of lib/rooms/room-state and lib/guests' limits. */
export const DEFAULT_POLICY: UsagePolicy = {
  powerLevels: { invite: 50, widgets: 50, redact: 50, kick: 50, ban: 50 },
  guests: {
    meetingGraceHours: MEETING_GRACE_HOURS,
    defaultLinkDays: DEFAULT_LINK_DAYS,
    maxLinkDays: MAX_LINK_DAYS,
    maxUses: MAX_USES_LIMIT,
  },
  attachments: {
    // Office documents, PDF, pictures, audio and video; no programs, scripts or archives.
    allowedTypes: [
      "application/pdf",
      "image/png",
      "image/jpeg",
      "image/gif",
      "image/webp",
      "text/plain",
      "audio/mpeg",
      "audio/ogg",
      "audio/wav",
      "video/mp4",
      "video/webm",
      "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "application/vnd.openxmlformats-officedocument.presentationml.presentation",
      "application/vnd.oasis.opendocument.text",
      "application/vnd.oasis.opendocument.spreadsheet",
    ],
    // Synapse's own upload limit (max_upload_size, 50M).
    maxBytes: 50 * 1024 * 1024,
  },
  flood: { enabled: true, messages: 10, windowSeconds: 10, muteMinutes: 10 },
  roomNaming: { kind: "none" },
};

/** Field errors keyed by the form's field names (`powerLevels.invite`), in German. */
export function policyFieldErrors(error: z.ZodError): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.join(".") || "(policy)";
    errors[key] ??= issue.message;
  }
  return errors;
}

/** Power-level keys in the template the widgets level governs (Element writes both). */
const WIDGET_STATE_TYPES = ["im.vector.modular.widgets", "io.element.widgets.layout"];

/** The managed-room template (without `users`) with the policy's levels in it. */
export function powerLevelsTemplateFor(policy: UsagePolicy): PowerLevelsContent {
  const template = managedRoomTemplate();
  const p = policy.powerLevels;
  const events = { ...(template.events as Record<string, number>) };
  for (const type of WIDGET_STATE_TYPES) events[type] = p.widgets;
  return { ...template, invite: p.invite, redact: p.redact, kick: p.kick, ban: p.ban, events };
}

/** Null when the name keeps the rule; otherwise the reason, German first. */
export function roomNameProblem(rule: RoomNamingRule, name: string): { de: string; en: string } | null {
  if (rule.kind === "none") return null;
  if (rule.kind === "prefix") {
    return name.startsWith(rule.value)
      ? null
      : { de: `Raumnamen beginnen mit „${rule.value}“.`, en: `Room names start with "${rule.value}".` };
  }
  return new RegExp(rule.value, "u").test(name)
    ? null
    : { de: `Der Raumname entspricht nicht der Namensregel der Stadt (${rule.value}).`, en: `The room name does not follow the city's naming rule (${rule.value}).` };
}

/** Whether a (sniffed) MIME type is on the allowed list. */
export function isAllowedType(policy: UsagePolicy, mimeType: string): boolean {
  return policy.attachments.allowedTypes.includes(mimeType.toLowerCase());
}
