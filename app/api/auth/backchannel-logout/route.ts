import { handleBackchannelLogout, portalBackchannelDeps } from "@/lib/auth/backchannel-logout";

export const dynamic = "force-dynamic";

const noStore = { "Cache-Control": "no-store" };
const MAX_BODY_BYTES = 32 * 1024;

/**
 * OpenID Connect Back-Channel Logout: the identity provider posts
 * `logout_token` as a form; 200 when the sessions it names are ended (or none
 * exist), 400 with an OAuth error body when the token is invalid.
 */
export async function POST(req: Request) {
  const type = req.headers.get("content-type") ?? "";
  if (!type.startsWith("application/x-www-form-urlencoded")) {
    return Response.json({ error: "invalid_request", error_description: "form body expected" }, { status: 400, headers: noStore });
  }
  if (Number(req.headers.get("content-length") ?? 0) > MAX_BODY_BYTES) {
    return Response.json({ error: "invalid_request", error_description: "body too large" }, { status: 400, headers: noStore });
  }
  const form = new URLSearchParams((await req.text().catch(() => "")).slice(0, MAX_BODY_BYTES));
  const result = await handleBackchannelLogout(form.get("logout_token"), portalBackchannelDeps());
  if (result.status === 200) return new Response(null, { status: 200, headers: noStore });
  return Response.json({ error: result.error, error_description: result.description }, { status: 400, headers: noStore });
}
