import { createGuestLinkInput, redeemInput, type CreateGuestLinkInput, type RedeemInput } from "../guest-input";

/** A link form as a moderator fills it in; defaults like the real form. */
export function createGuestInputFor(over: Partial<Record<"label" | "expiresAt", string> & { maxUses: number; requiresAdmission: boolean }> = {}): CreateGuestLinkInput {
  return createGuestLinkInput.parse({ label: "Frau Beispiel", ...over });
}

/** The landing page's redemption request. */
export function redeemFor(secret: string, over: Partial<{ displayName: string; rulesVersion: number }> = {}): RedeemInput {
  return redeemInput.parse({ secret, displayName: over.displayName ?? "Gabi Gast", acceptRules: true, rulesVersion: over.rulesVersion ?? 1 });
}

/** The secret inside a link URL (after '#'). */
export function secretOf(url: string): string {
  const secret = url.split("#")[1];
  if (!secret) throw new Error(`no secret in ${url}`);
  return secret;
}
