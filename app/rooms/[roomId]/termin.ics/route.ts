import { eq } from "drizzle-orm";
import { people } from "@/drizzle/schema";
import { currentSession } from "@/lib/auth/current-session";
import { meetingIcs } from "@/lib/calendar/meeting-ics";
import { isAppError } from "@/lib/errors";
import { portalRuntime } from "@/lib/portal/runtime";
import { requireRoomMember } from "@/lib/rooms/room-access";
import { findRoomByMatrixId } from "@/lib/rooms/room-list";

export const dynamic = "force-dynamic";

const json = (status: number, error: string) => Response.json({ error }, { status, headers: { "Cache-Control": "no-store" } });

/** The meeting as an .ics file for the person's calendar (members only). */
export async function GET(_req: Request, { params }: { params: Promise<{ roomId: string }> }) {
  const roomId = decodeURIComponent((await params).roomId);
  const signedIn = await currentSession();
  if (!signedIn) return json(401, "Bitte melden Sie sich an.");
  const { db, service, config } = portalRuntime();
  const room = await findRoomByMatrixId(db, roomId);
  if (!room || !room.startsAt || !room.endsAt) return json(404, "Zu diesem Raum gibt es keinen Termin.");
  try {
    await requireRoomMember(service, roomId, signedIn.matrixUserId);
  } catch (err) {
    if (isAppError(err)) return json(err.status, err.userMessage);
    throw err;
  }
  const organiser = await db.query.people.findFirst({ where: eq(people.id, room.organiserId) });
  const ics = meetingIcs({
    uid: `${room.id}@${config.matrix.serverName}`,
    name: room.name,
    topic: room.topic,
    startsAt: room.startsAt,
    endsAt: room.endsAt,
    roomUrl: `${config.portal.url}/rooms/${encodeURIComponent(roomId)}`,
    organiser: { name: organiser?.displayName ?? "Stadtfunk", email: organiser?.email ?? null },
    cityName: config.cityName,
  });
  return new Response(ics, {
    headers: {
      "Content-Type": "text/calendar; charset=utf-8",
      "Content-Disposition": `attachment; filename="termin.ics"`,
      "Cache-Control": "no-store",
    },
  });
}
