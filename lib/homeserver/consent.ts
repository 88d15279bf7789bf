import { createHmac } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";

/**
 * Synapse's consent tracking for staff who only use Element: the homeserver
 * refuses their messages until they accepted the current usage rules. The
 * text comes from the same versioned usage rules guests accept
 * (lib/guests/usage-rules); the consent version is the rules version. The
 * portal records acceptance itself and tells the homeserver through the
 * consent form's HMAC link, keyed with Synapse's `form_secret`.
 */

export interface ConsentRules {
  version: number;
  textDe: string;
  textEn: string;
}

/** Synapse's `user_consent` block; `%(consent_uri)s` is Synapse's link to the form. */
export function userConsentConfig(templateDir: string, version: number): Record<string, unknown> {
  return {
    template_dir: templateDir,
    version: String(version),
    // Staff sign in by SSO; they accept in the portal or through the link in this error.
    require_at_registration: false,
    policy_name: "Nutzungsregeln / Usage rules",
    block_events_error:
      "Bitte stimmen Sie zuerst den Nutzungsregeln zu: %(consent_uri)s / Please accept the usage rules first: %(consent_uri)s",
  };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/** Rules text as Jinja-safe HTML: escaped, and inside `raw` so braces in the text are never template code. */
function rulesBlock(text: string, lang: "de" | "en", city: string): string {
  const body = escapeHtml(text.replaceAll("{stadt}", city)).replaceAll("{% endraw %}", "{ % endraw % }");
  return `<section lang="${lang}">{% raw %}<pre style="white-space:pre-wrap;font-family:inherit">${body}</pre>{% endraw %}</section>`;
}

/** The form Synapse shows at `/_matrix/consent` (Jinja; `user`, `userhmac`, `version`, `has_consented` come from Synapse). */
export function consentPolicyTemplate(rules: ConsentRules, city: string): string {
  return `<!doctype html>
<html lang="de"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Nutzungsregeln / Usage rules</title></head>
<body style="max-width:48rem;margin:2rem auto;padding:0 1rem;font-family:sans-serif">
<h1>Nutzungsregeln ${escapeHtml(city)} (Version ${rules.version})</h1>
${rulesBlock(rules.textDe, "de", city)}
<h2 lang="en">Usage rules (English translation)</h2>
${rulesBlock(rules.textEn, "en", city)}
{% if has_consented %}
<p>Sie haben diesen Regeln zugestimmt. / You have accepted these rules.</p>
{% elif user %}
<form method="post" action="consent">
<input type="hidden" name="v" value="{{ version }}">
<input type="hidden" name="u" value="{{ user }}">
<input type="hidden" name="h" value="{{ userhmac }}">
<button type="submit">Ich stimme zu / I accept</button>
</form>
{% endif %}
</body></html>
`;
}

export const CONSENT_SUCCESS_TEMPLATE = `<!doctype html>
<html lang="de"><head><meta charset="utf-8"><title>Danke / Thank you</title></head>
<body style="max-width:48rem;margin:2rem auto;padding:0 1rem;font-family:sans-serif">
<p>Danke, Ihre Zustimmung ist gespeichert. Sie können das Fenster schließen. / Thank you, your acceptance is recorded. You can close this window.</p>
</body></html>
`;

/**
 * Writes the template directory Synapse reads (`en/<version>.html` and
 * `en/success.html`; Synapse only knows the language directory `en`, the
 * page itself is German first). Older versions stay for reference.
 */
export async function writeConsentTemplates(templateDir: string, rules: ConsentRules, city: string): Promise<void> {
  const dir = path.join(templateDir, "en");
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(path.join(dir, `${rules.version}.html`), consentPolicyTemplate(rules, city));
  await fs.writeFile(path.join(dir, "success.html"), CONSENT_SUCCESS_TEMPLATE);
}

/** The consent form's user MAC, as Synapse's ConsentResource checks it. */
export function consentHmac(formSecret: string, userId: string): string {
  return createHmac("sha256", formSecret).update(userId, "utf8").digest("hex");
}

/**
 * Marks `userId` as having accepted `version` on the homeserver, through the
 * consent form (what the person would do by clicking "accept" in Synapse's
 * page). Called by the portal after the person accepted there.
 */
export async function recordConsentOnHomeserver(
  homeserverUrl: string,
  formSecret: string,
  userId: string,
  version: number,
  fetchFn: typeof fetch = fetch,
): Promise<void> {
  const res = await fetchFn(`${homeserverUrl}/_matrix/consent`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ v: String(version), u: userId, h: consentHmac(formSecret, userId) }).toString(),
    redirect: "manual",
    signal: AbortSignal.timeout(10_000),
  });
  await res.arrayBuffer().catch(() => undefined);
  if (!res.ok) throw new Error(`recording consent on the homeserver failed: HTTP ${res.status}`);
}
