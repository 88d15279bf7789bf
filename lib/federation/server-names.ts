/**
 * Matrix server names of partner homeservers: a DNS name with an optional
 * port, lower-case. IP literals are refused: server ACLs deny them anyway
 * (`allow_ip_literals: false`), and a partner is an organisation with a name.
 */

export type ServerNameCheck = { ok: true; serverName: string; host: string } | { ok: false; message: string };

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** Checks one server name as an admin typed it. */
export function parseServerName(raw: string): ServerNameCheck {
  const text = raw.trim().toLowerCase();
  if (text === "") return { ok: false, message: "Bitte einen Servernamen angeben." };
  if (/^[a-z]+:\/\//.test(text) || text.includes("/")) {
    return { ok: false, message: `„${raw.trim()}“: nur der Servername, ohne https:// und ohne Pfad.` };
  }
  if (text.startsWith("[") || /^\d{1,3}(\.\d{1,3}){3}(:\d+)?$/.test(text)) {
    return { ok: false, message: `„${raw.trim()}“ ist eine IP-Adresse; Partner brauchen einen DNS-Namen.` };
  }
  const match = /^([^:]+)(?::(\d{1,5}))?$/.exec(text);
  if (!match) return { ok: false, message: `„${raw.trim()}“ ist kein gültiger Servername.` };
  const host = match[1]!;
  const port = match[2];
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) {
    return { ok: false, message: `„${raw.trim()}“: der Port muss zwischen 1 und 65535 liegen.` };
  }
  const labels = host.split(".");
  if (host.length > 253 || labels.length < 2 || !labels.every((l) => LABEL.test(l)) || /^\d+$/.test(labels.at(-1)!)) {
    return { ok: false, message: `„${raw.trim()}“ ist kein gültiger DNS-Name (z. B. matrix.stadtwerke.example).` };
  }
  return { ok: true, serverName: port ? `${host}:${port}` : host, host };
}

/** Several names separated by commas, spaces or lines; the first problem wins. */
export function parseServerNameList(raw: string): { ok: true; serverNames: string[] } | { ok: false; message: string } {
  const parts = raw.split(/[\s,;]+/).filter((p) => p !== "");
  if (parts.length === 0) return { ok: false, message: "Bitte mindestens einen Servernamen angeben." };
  if (parts.length > 10) return { ok: false, message: "Höchstens 10 Servernamen je Partner." };
  const names: string[] = [];
  for (const part of parts) {
    const check = parseServerName(part);
    if (!check.ok) return check;
    if (!names.includes(check.serverName)) names.push(check.serverName);
  }
  return { ok: true, serverNames: names };
}

/** The host part a server ACL compares (ACLs ignore ports). */
export function aclHost(serverName: string): string {
  if (serverName.startsWith("[")) return serverName.slice(0, serverName.indexOf("]") + 1);
  const colon = serverName.lastIndexOf(":");
  return (colon === -1 ? serverName : serverName.slice(0, colon)).toLowerCase();
}

/** The server part of `@localpart:server` (with its port), or null for anything else. */
export function serverOfUserId(userId: string): string | null {
  const colon = userId.indexOf(":");
  if (!userId.startsWith("@") || colon < 2 || colon === userId.length - 1) return null;
  return userId.slice(colon + 1).toLowerCase();
}
