import type { AppConfig } from "../config/load";

export interface PersonProfile {
  /** The identity provider's stable person id (the configured claim), never the e-mail. */
  subject: string;
  username: string | null;
  displayName: string;
  email: string | null;
  departments: string[];
  role: "admin" | "staff";
}

export type AccessDecision =
  | { allowed: true; profile: PersonProfile }
  | { allowed: false; reason: "missing-subject" | "not-in-allowed-groups"; profile: PersonProfile | null };

type Claims = Record<string, unknown>;

/** Reads a possibly nested claim ("ext.uid"). */
function claim(claims: Claims, name: string): unknown {
  return name.split(".").reduce<unknown>((v, key) => (v && typeof v === "object" ? (v as Claims)[key] : undefined), claims);
}

function asText(v: unknown): string | null {
  if (typeof v === "string" && v.trim()) return v.trim();
  if (typeof v === "number") return String(v);
  return null;
}

/** Groups arrive as a list, a single string, or (Keycloak with full paths) as "/bauamt". */
export function groupsFrom(v: unknown): string[] {
  const raw = Array.isArray(v) ? v : typeof v === "string" ? [v] : [];
  const names = raw
    .filter((g): g is string => typeof g === "string")
    .map((g) => g.replace(/^\/+/, "").trim())
    .filter(Boolean);
  return [...new Set(names)];
}

/**
 * Maps ID-token claims to a person and decides whether they may use the
 * service. The same allow-list is written into Synapse's SSO configuration,
 * so Element sign-ins follow the same rule.
 */
export function decideAccess(claims: Claims, oidc: AppConfig["oidc"]): AccessDecision {
  const subject = asText(claim(claims, oidc.subjectClaim));
  if (!subject) return { allowed: false, reason: "missing-subject", profile: null };
  const groups = groupsFrom(claim(claims, oidc.groupsClaim));
  const username = asText(claims.preferred_username);
  const profile: PersonProfile = {
    subject,
    username,
    displayName: asText(claim(claims, oidc.nameClaim)) ?? username ?? subject,
    email: asText(claim(claims, oidc.emailClaim)),
    departments: groups.filter((g) => g !== oidc.adminGroup),
    role: groups.includes(oidc.adminGroup) ? "admin" : "staff",
  };
  const allowed = oidc.allowedGroups.length === 0 || groups.some((g) => oidc.allowedGroups.includes(g));
  return allowed ? { allowed, profile } : { allowed, reason: "not-in-allowed-groups", profile };
}
