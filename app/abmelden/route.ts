import { isSameOriginRequest } from "@/lib/security/same-origin";
import { NextResponse, type NextRequest } from "next/server";
import { currentSession } from "@/lib/auth/current-session";
import { signOut } from "@/lib/auth/sign-out";
import { portalRuntime } from "@/lib/portal/runtime";

export const dynamic = "force-dynamic";

const SESSION_COOKIES = ["next-auth.session-token", "__Secure-next-auth.session-token"];

export async function POST(req: NextRequest) {
  const { config } = portalRuntime();
  if (!isSameOriginRequest(req.headers, config.portal.url)) {
    return Response.json({ error: "Anfrage von fremder Seite abgelehnt." }, { status: 403 });
  }
  const signedIn = await currentSession();
  const target = signedIn ? await signOut(signedIn) : `${config.portal.url}/`;
  const res = NextResponse.redirect(target, 303);
  for (const name of SESSION_COOKIES) res.cookies.delete(name);
  return res;
}
