import { serveVerifier, verifierDeps } from "@/lib/jitsi/conference-access";
import { handleVerifyUserInRoom } from "@/lib/jitsi/openid-verifier";
import { portalRuntime } from "@/lib/portal/runtime";
import { approvedPartnerServers } from "@/lib/federation/partners";

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
  // Approved partners are read per request (after the bearer check): a suspension counts at once.
  return serveVerifier(req, rt.config.jitsi.verifierToken, async (request) =>
    handleVerifyUserInRoom(request, verifierDeps(rt, undefined, await approvedPartnerServers(rt.db))),
  );
}
