import type { PolicyVersion } from "../../lib/policy/policy-store";
import type { AdminReport } from "./admin-report";

/** The policy in force in a few lines, for `!richtlinie` / `!policy`. */
export function policySummary({ version, policy }: PolicyVersion): AdminReport {
  const p = policy.powerLevels;
  const mib = (policy.attachments.maxBytes / (1024 * 1024)).toFixed(1);
  const f = policy.flood;
  const naming = policy.roomNaming.kind === "none" ? null : `${policy.roomNaming.kind}: ${policy.roomNaming.value}`;
  const types = policy.attachments.allowedTypes.join(", ");
  return {
    de:
      `Nutzungsrichtlinie Version ${version}${version === 0 ? " (Voreinstellung)" : ""}. ` +
      `Berechtigungen: Einladen ${p.invite}, Widgets ${p.widgets}, Löschen ${p.redact}, Entfernen ${p.kick}, Sperren ${p.ban}. ` +
      `Dateien: bis ${mib} MiB, erlaubt: ${types}. ` +
      `Flutschutz: ${f.enabled ? `${f.messages} Nachrichten in ${f.windowSeconds} s, dann ${f.muteMinutes} min stumm` : "aus"}. ` +
      `Gastlinks: höchstens ${policy.guests.maxLinkDays} Tage, ${policy.guests.maxUses} Nutzungen. ` +
      `Raumnamen: ${naming ?? "keine Regel"}.`,
    en:
      `Usage policy version ${version}${version === 0 ? " (defaults)" : ""}. ` +
      `Power levels: invite ${p.invite}, widgets ${p.widgets}, redact ${p.redact}, kick ${p.kick}, ban ${p.ban}. ` +
      `Files: up to ${mib} MiB, allowed: ${types}. ` +
      `Flood protection: ${f.enabled ? `${f.messages} messages in ${f.windowSeconds} s, then muted for ${f.muteMinutes} min` : "off"}. ` +
      `Guest links: at most ${policy.guests.maxLinkDays} days, ${policy.guests.maxUses} uses. ` +
      `Room names: ${naming ?? "no rule"}.`,
  };
}
