import type { UsagePolicy } from "./usage-policy";

/**
 * The admin form's flat fields ↔ the policy's shape. Only reshaping here;
 * every check is the policy schema's, so the form cannot accept what the
 * bots would refuse. Sizes are edited in MiB, types one per line.
 */

const MIB = 1024 * 1024;

type Get = (name: string) => string | null;

const num = (v: string | null): unknown => {
  const t = (v ?? "").trim().replace(",", ".");
  return t === "" ? undefined : Number(t);
};

export function policyInputFromForm(get: Get): unknown {
  const kind = get("roomNaming.kind") ?? "none";
  const mib = num(get("attachments.maxMiB"));
  return {
    powerLevels: {
      invite: num(get("powerLevels.invite")),
      widgets: num(get("powerLevels.widgets")),
      redact: num(get("powerLevels.redact")),
      kick: num(get("powerLevels.kick")),
      ban: num(get("powerLevels.ban")),
    },
    guests: {
      meetingGraceHours: num(get("guests.meetingGraceHours")),
      defaultLinkDays: num(get("guests.defaultLinkDays")),
      maxLinkDays: num(get("guests.maxLinkDays")),
      maxUses: num(get("guests.maxUses")),
    },
    attachments: {
      allowedTypes: (get("attachments.allowedTypes") ?? "")
        .split(/[\s,]+/)
        .map((t) => t.trim())
        .filter(Boolean),
      maxBytes: typeof mib === "number" && Number.isFinite(mib) ? Math.round(mib * MIB) : mib,
    },
    flood: {
      enabled: get("flood.enabled") === "on",
      messages: num(get("flood.messages")),
      windowSeconds: num(get("flood.windowSeconds")),
      muteMinutes: num(get("flood.muteMinutes")),
    },
    roomNaming: kind === "none" ? { kind } : { kind, value: get("roomNaming.value") ?? "" },
  };
}

/** The form's initial values from a policy. */
export function formValuesFromPolicy(p: UsagePolicy): Record<string, string> {
  return {
    "powerLevels.invite": String(p.powerLevels.invite),
    "powerLevels.widgets": String(p.powerLevels.widgets),
    "powerLevels.redact": String(p.powerLevels.redact),
    "powerLevels.kick": String(p.powerLevels.kick),
    "powerLevels.ban": String(p.powerLevels.ban),
    "guests.meetingGraceHours": String(p.guests.meetingGraceHours),
    "guests.defaultLinkDays": String(p.guests.defaultLinkDays),
    "guests.maxLinkDays": String(p.guests.maxLinkDays),
    "guests.maxUses": String(p.guests.maxUses),
    "attachments.allowedTypes": p.attachments.allowedTypes.join("\n"),
    "attachments.maxMiB": String(Math.round((p.attachments.maxBytes / MIB) * 100) / 100),
    "flood.enabled": p.flood.enabled ? "on" : "",
    "flood.messages": String(p.flood.messages),
    "flood.windowSeconds": String(p.flood.windowSeconds),
    "flood.muteMinutes": String(p.flood.muteMinutes),
    "roomNaming.kind": p.roomNaming.kind,
    "roomNaming.value": p.roomNaming.kind === "none" ? "" : p.roomNaming.value,
  };
}

/** Schema paths to form fields where they differ (sizes are edited in MiB). */
export function formFieldOf(path: string): string {
  if (path === "attachments.maxBytes") return "attachments.maxMiB";
  if (path.startsWith("attachments.allowedTypes")) return "attachments.allowedTypes";
  return path;
}
