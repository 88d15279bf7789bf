import { NextResponse, type NextRequest } from "next/server";
import { currentSession } from "@/lib/auth/current-session";
import { completeMatrixLogin } from "@/lib/auth/matrix-session";
import { portalRuntime } from "@/lib/portal/runtime";

export const dynamic = "force-dynamic";

/** Synapse sends the browser here with a one-time loginToken; the answer is a redirect to a clean URL. */
export async function GET(req: NextRequest) {
  const { config } = portalRuntime();
  const signedIn = await currentSession();
  if (!signedIn) return NextResponse.redirect(new URL("/", config.portal.url), 303);
  const q = req.nextUrl.searchParams;
  const result = await completeMatrixLogin(signedIn, {
    state: q.get("state"),
    loginToken: q.get("loginToken"),
    next: q.get("next"),
  });
  const target = result.ok ? result.next : `/anmeldung-fehlgeschlagen?error=matrix-${result.reason}`;
  return NextResponse.redirect(new URL(target, config.portal.url), 303);
}
