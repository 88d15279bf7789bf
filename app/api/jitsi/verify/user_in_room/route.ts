import { serveVerifier, verifierDeps } from "@/lib/jitsi/conference-access";
import { handleVerifyUserInRoom } from "@/lib/jitsi/openid-verifier";
import { portalRuntime } from "@/lib/portal/runtime";

export const dynamic = "force-dynamic";

/**
 * `POST /verify/user_in_room` of matrix-user-verification-service, which
 * Prosody calls before letting someone into a `matrix`-mode conference:
 * whose token this is, whether they are a joined member of the room, and
 * their power (moderators become Jitsi owners). Only in `matrix` mode.
 */
export async function POST(req: Request) {
  const rt = portalRuntime();
  if (rt.config.jitsi.authMode !== "matrix") return Response.json({}, { status: 404, headers: { "Cache-Control": "no-store" } });
  const deps = verifierDeps(rt);
  return serveVerifier(req, deps.bearerToken, (request) => handleVerifyUserInRoom(request, deps));
}
