import { serveVerifier, verifierDeps } from "@/lib/jitsi/conference-access";
import { handleVerifyUser } from "@/lib/jitsi/openid-verifier";
import { portalRuntime } from "@/lib/portal/runtime";
import { approvedPartnerServers } from "@/lib/federation/partners";

export const dynamic = "force-dynamic";

/**
 * `POST /verify/user` of matrix-user-verification-service, for Prosody's
 * `matrix_user_verification` auth (`uvs_base_url` = <portal>/api/jitsi):
 * whose OpenID token is this. Only in `matrix` mode.
 */
export async function POST(req: Request) {
  const rt = portalRuntime();
  if (rt.config.jitsi.authMode !== "matrix") return Response.json({}, { status: 404, headers: { "Cache-Control": "no-store" } });
  // Approved partners are read per request (after the bearer check): a suspension counts at once.
  return serveVerifier(req, rt.config.jitsi.verifierToken, async (request) =>
    handleVerifyUser(request, verifierDeps(rt, undefined, await approvedPartnerServers(rt.db))),
  );
}
