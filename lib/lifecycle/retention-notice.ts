import type { RulesForGuests } from "../guests/usage-rules";
import type { RetentionPolicy } from "./retention-policy";

/**
 * The retention paragraph of the guests' privacy notice, generated from the
 * policy the cleanup bot enforces, so notice and behaviour cannot drift
 * apart. In a stored notice it replaces the `{aufbewahrung}` / `{retention}`
 * placeholder, else the paragraph that starts with "Speicherdauer:" /
 * "Retention:"; a notice with neither gets it appended.
 */
export function retentionParagraph(policy: RetentionPolicy, lang: "de" | "en"): string {
  const p = policy;
  const messagesDe =
    p.messageRetentionDays === null
      ? "Nachrichten und Dateien bleiben gespeichert, bis der Raum gelöscht wird."
      : `Nachrichten werden nach ${p.messageRetentionDays} Tagen gelöscht, spätestens mit dem Raum.`;
  const messagesEn =
    p.messageRetentionDays === null
      ? "Messages and files are kept until the room is deleted."
      : `Messages are deleted after ${p.messageRetentionDays} days, at the latest with the room.`;
  if (lang === "de") {
    return (
      `Speicherdauer: Ihr Gastkonto wird deaktiviert, sobald der Link oder der Termin abläuft oder die Moderation Sie entfernt; ` +
      `${p.guestEraseAfterDays} Tage danach werden Ihr Anzeigename und Ihr Konto gelöscht. ${messagesDe} ` +
      `Besprechungsräume werden ${p.meetingDeleteAfterDays} Tage nach dem Termin gelöscht, Teamräume nach ${p.teamDeleteAfterDays} Tagen ohne Aktivität ` +
      `(die Raumverwaltung kann die Löschung einmal um ${p.postponeDays} Tage verschieben). Verbindungsprotokolle werden nach kurzer Zeit gelöscht.`
    );
  }
  return (
    `Retention: your guest account is deactivated as soon as the link or appointment expires or the moderators remove you; ` +
    `${p.guestEraseAfterDays} days later your display name and account are deleted. ${messagesEn} ` +
    `Meeting rooms are deleted ${p.meetingDeleteAfterDays} days after the meeting, team rooms after ${p.teamDeleteAfterDays} days without activity ` +
    `(the room's admins can postpone the deletion once by ${p.postponeDays} days). Connection logs are deleted after a short time.`
  );
}

export function withRetentionParagraph(text: string, policy: RetentionPolicy, lang: "de" | "en"): string {
  const paragraph = retentionParagraph(policy, lang);
  const placeholder = lang === "de" ? "{aufbewahrung}" : "{retention}";
  if (text.includes(placeholder)) return text.replaceAll(placeholder, paragraph);
  const heading = lang === "de" ? /^Speicherdauer:.*$/m : /^Retention:.*$/m;
  if (heading.test(text)) return text.replace(heading, paragraph);
  return `${text.trimEnd()}\n\n${paragraph}`;
}

/** The rules a guest sees, with the privacy notice's retention taken from the policy in force. */
export function withRetentionNotice(rules: RulesForGuests, policy: RetentionPolicy): RulesForGuests {
  return {
    ...rules,
    de: { ...rules.de, privacy: withRetentionParagraph(rules.de.privacy, policy, "de") },
    en: { ...rules.en, privacy: withRetentionParagraph(rules.en.privacy, policy, "en") },
  };
}
