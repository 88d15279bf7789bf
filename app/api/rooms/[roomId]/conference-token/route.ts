import { isSameOriginRequest } from "@/lib/security/same-origin";
import { currentSession } from "@/lib/auth/current-session";
import { isAppError } from "@/lib/errors";
import { conferenceAccess } from "@/lib/jitsi/conference-access";
import { isRoomId } from "@/lib/matrix/room-id";
import { portalRuntime } from "@/lib/portal/runtime";
import { readRoomAccess } from "@/lib/rooms/room-access";
import { findRoomByMatrixId } from "@/lib/rooms/room-list";

export const dynamic = "force-dynamic";

const NO_STORE = { "Cache-Control": "no-store" };

function refuse(status: number, code: string, error: string): Response {
  return Response.json({ error, code }, { status, headers: NO_STORE });
}

/**
 * The credential for a room's Jitsi conference (see lib/jitsi/conference-access):
 * a minted JWT in `jwt` mode, `token: null` in `matrix` mode (the browser
 * wraps its own OpenID token) and in `none` mode. Membership and moderator
 * rights come from the homeserver on every call.
 */
export async function POST(req: Request, { params }: { params: Promise<{ roomId: string }> }) {
  const { config, db, service, log } = portalRuntime();
  const signedIn = await currentSession();
  if (!signedIn) return refuse(401, "signed-out", "Nicht angemeldet.");
  if (!isSameOriginRequest(req.headers, config.portal.url)) return refuse(403, "cross-site", "Anfrage von fremder Seite abgelehnt.");

  let roomId = "";
  try {
    roomId = decodeURIComponent((await params).roomId);
  } catch {
    // Not a room ID either way.
  }
  const userId = signedIn.matrixUserId;
  const personId = signedIn.person.id;
  // An unknown room and someone else's room look the same from outside.
  const notMember = () => {
    log.info({ personId, roomId: isRoomId(roomId) ? roomId : "(invalid)" }, "conference token refused: not a member");
    return refuse(403, "not-a-member", "Kein Zugriff auf die Videokonferenz dieses Raums.");
  };
  if (!isRoomId(roomId)) return notMember();

  try {
    const room = await findRoomByMatrixId(db, roomId);
    if (!room) return notMember();
    const access = await conferenceAccess(
      { jitsi: config.jitsi, readAccess: (r, u) => readRoomAccess(service, r, u), now: () => new Date() },
      { roomId, conferenceId: room.conferenceId, userId, displayName: signedIn.person.displayName },
    );
    log.info({ personId, roomId, mode: access.mode, moderator: access.mode === "jwt" && access.moderator }, "conference access granted");
    return Response.json(access, { headers: NO_STORE });
  } catch (err) {
    if (isAppError(err)) {
      if (err.category === "forbidden" || err.category === "not-found") return notMember();
      log.info({ personId, roomId, code: err.code }, "conference token refused");
      return refuse(err.status, err.code, err.userMessage);
    }
    const errorId = crypto.randomUUID();
    log.error({ errorId, roomId, err }, "conference token failed");
    return refuse(500, "internal", `Unerwarteter Fehler (Fehler-ID ${errorId}). Bitte versuchen Sie es erneut.`);
  }
}
