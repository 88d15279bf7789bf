import type { IncomingMessage, ServerResponse } from "node:http";
import type Provider from "oidc-provider";
import type { Logger } from "../log";
import { DEMO_PASSWORD, type UserStore } from "./demo-users";
import { loginPage, messagePage, PAGE_CSP } from "./pages";

/**
 * Our replacement for oidc-provider's devInteractions: a login form for the
 * demo users and an automatic consent step. Every outcome is handed back to
 * the library through `interactionFinished`, which issues the redirect.
 */

export interface InteractionDeps {
  provider: Provider;
  users: UserStore;
  logger: Logger;
  cityName: string;
}

const MAX_BODY_BYTES = 16 * 1024;

const MESSAGES = {
  "unknown-user": "Benutzername oder Passwort ist falsch. / Wrong username or password.",
  "wrong-password": "Benutzername oder Passwort ist falsch. / Wrong username or password.",
  disabled: "Dieses Konto ist deaktiviert. / This account is disabled.",
} as const;

export function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, {
    "content-type": "text/html; charset=utf-8",
    "cache-control": "no-store",
    "content-security-policy": PAGE_CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
  });
  res.end(html);
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const type = req.headers["content-type"] ?? "";
  if (!type.startsWith("application/x-www-form-urlencoded")) {
    throw new HttpError(415, "Formular erwartet / form submission expected");
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, "Anfrage zu groß / request too large");
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

type Details = Awaited<ReturnType<Provider["interactionDetails"]>>;

/**
 * First-party clients get what they asked for: the missing scopes and claims
 * are added to the (possibly new) Grant instead of asking the user.
 */
async function finishConsent(
  deps: InteractionDeps,
  req: IncomingMessage,
  res: ServerResponse,
  details: Details,
): Promise<void> {
  const { provider } = deps;
  const accountId = details.session?.accountId;
  const clientId = String(details.params.client_id);
  if (!accountId) throw new HttpError(400, "Keine Sitzung / no session");
  const existing = details.grantId ? await provider.Grant.find(details.grantId) : undefined;
  const grant = existing ?? new provider.Grant({ accountId, clientId });
  const missing = details.prompt.details as {
    missingOIDCScope?: string[];
    missingOIDCClaims?: string[];
    missingResourceScopes?: Record<string, string[]>;
  };
  if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope);
  if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
  for (const [resource, scopes] of Object.entries(missing.missingResourceScopes ?? {})) {
    grant.addResourceScope(resource, scopes);
  }
  const grantId = await grant.save();
  await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
}

function renderLogin(
  deps: InteractionDeps,
  res: ServerResponse,
  details: Details,
  status = 200,
  form: { username?: string; error?: string } = {},
): void {
  sendHtml(
    res,
    status,
    loginPage({
      uid: details.uid,
      cityName: deps.cityName,
      clientId: String(details.params.client_id ?? ""),
      users: deps.users.list().filter((u) => !deps.users.isDisabled(u.username)),
      demoPassword: DEMO_PASSWORD,
      username: form.username ?? String(details.params.login_hint ?? ""),
      error: form.error,
    }),
  );
}

async function route(
  deps: InteractionDeps,
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
): Promise<void> {
  const [, , uid, action] = pathname.split("/");
  if (!uid || pathname.split("/").length > 4) throw new HttpError(404, "Nicht gefunden / not found");
  // The interaction cookie, not the URL, identifies the flow; a mismatch is a stale tab.
  const details = await deps.provider.interactionDetails(req, res);
  if (details.uid !== uid) throw new HttpError(400, "Veraltete Anmeldeseite / stale sign-in page");

  if (req.method === "GET" && action === undefined) {
    if (details.prompt.name === "login") return renderLogin(deps, res, details);
    if (details.prompt.name === "consent") return finishConsent(deps, req, res, details);
    throw new HttpError(400, `Unbekannter Schritt / unknown prompt: ${details.prompt.name}`);
  }

  if (req.method === "POST" && action === "login") {
    if (details.prompt.name !== "login") throw new HttpError(400, "Kein Anmeldeschritt / not a login step");
    const form = await readForm(req);
    const username = (form.get("username") ?? "").trim();
    const result = deps.users.verify(username, form.get("password") ?? "");
    if (!result.ok) {
      deps.logger.info({ username, reason: result.reason, clientId: details.params.client_id }, "login rejected");
      return renderLogin(deps, res, details, 401, { username, error: MESSAGES[result.reason] });
    }
    deps.logger.info({ username: result.user.username, clientId: details.params.client_id }, "login");
    return deps.provider.interactionFinished(
      req,
      res,
      { login: { accountId: result.user.sub, amr: ["pwd"] } },
      { mergeWithLastSubmission: false },
    );
  }

  if (req.method === "POST" && action === "abort") {
    return deps.provider.interactionFinished(
      req,
      res,
      { error: "access_denied", error_description: "End-User aborted interaction" },
      { mergeWithLastSubmission: false },
    );
  }

  throw new HttpError(405, "Methode nicht erlaubt / method not allowed");
}

/** Serves everything below /interaction/; never throws. */
export async function handleInteraction(
  deps: InteractionDeps,
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
): Promise<void> {
  try {
    await route(deps, req, res, pathname);
  } catch (err) {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (err instanceof HttpError) {
      sendHtml(res, err.status, messagePage("Fehler / Error", err.message));
      return;
    }
    // SessionNotFound: expired or missing interaction cookie, e.g. an old bookmark.
    if ((err as { name?: string }).name === "SessionNotFound") {
      sendHtml(
        res,
        400,
        messagePage(
          "Sitzung abgelaufen / Session expired",
          "Bitte starten Sie die Anmeldung in der Anwendung neu. Please restart the sign-in from the application.",
        ),
      );
      return;
    }
    deps.logger.error({ err }, "interaction failed");
    sendHtml(res, 500, messagePage("Fehler / Error", "Interner Fehler / internal error"));
  }
}
