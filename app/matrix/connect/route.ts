import { NextResponse, type NextRequest } from "next/server";
import { currentSession } from "@/lib/auth/current-session";
import { startMatrixLogin } from "@/lib/auth/matrix-session";
import { portalRuntime } from "@/lib/portal/runtime";
import { safeRedirectPath } from "@/lib/auth/safe-redirect";

export const dynamic = "force-dynamic";

export async function GET(req: NextRequest) {
  const { config } = portalRuntime();
  const signedIn = await currentSession();
  if (!signedIn) return NextResponse.redirect(new URL("/", config.portal.url), 303);
  const next = req.nextUrl.searchParams.get("next");
  if (signedIn.session.matrixAccessTokenEnc) {
    return NextResponse.redirect(new URL(safeRedirectPath(next, config.portal.url), config.portal.url), 303);
  }
  return NextResponse.redirect(await startMatrixLogin(signedIn, next), 303);
}
