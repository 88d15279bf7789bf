import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { currentSession, type SignedIn } from "../auth/current-session";
import type { Logger } from "../log";
import { isSameOriginRequest } from "../security/same-origin";
import { portalRuntime } from "./runtime";

/**
 * The first steps every portal server action takes before its one lib call:
 * same origin (Next lets a server action without an Origin header through; this
 * refuses those too, cookies being SameSite=Lax on top), then a live session.
 * Authorisation stays in lib, where the role or power level is read fresh.
 */

export const FOREIGN_ORIGIN_MESSAGE = "Die Anfrage kam nicht von dieser Seite und wurde abgelehnt.";
export const SESSION_EXPIRED_MESSAGE = "Ihre Sitzung ist abgelaufen. Bitte melden Sie sich neu an.";

export async function isSameOriginAction(): Promise<boolean> {
  return isSameOriginRequest(await headers(), portalRuntime().config.portal.url);
}

/** For actions that answer their form with a state: the signed-in person, or the message to show instead. */
export async function formActionCaller(): Promise<{ signedIn: SignedIn; message?: undefined } | { signedIn?: undefined; message: string }> {
  if (!(await isSameOriginAction())) return { message: FOREIGN_ORIGIN_MESSAGE };
  const signedIn = await currentSession();
  return signedIn ? { signedIn } : { message: SESSION_EXPIRED_MESSAGE };
}

/** For actions that answer with a redirect: a foreign origin goes to `refusedTarget`, the signed-out to the start page. */
export async function redirectActionCaller(refusedTarget: string): Promise<SignedIn> {
  if (!(await isSameOriginAction())) redirect(refusedTarget);
  const signedIn = await currentSession();
  if (!signedIn) redirect("/");
  return signedIn;
}

/** A bug, not an expected failure: logged under a fresh error id, which the person gets to quote - never the stack. */
export function unexpectedErrorMessage(log: Logger, err: unknown, what: string, nextStep = "Bitte versuchen Sie es erneut."): string {
  const errorId = crypto.randomUUID();
  log.error({ errorId, err }, what);
  return `Unerwarteter Fehler (Fehler-ID ${errorId}). ${nextStep}`;
}
