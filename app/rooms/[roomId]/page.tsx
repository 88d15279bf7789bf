import { forbidden, notFound, redirect } from "next/navigation";
import { currentSession } from "@/lib/auth/current-session";
import { isAppError } from "@/lib/errors";
import { portalRuntime } from "@/lib/portal/runtime";
import { requireRoomMember } from "@/lib/rooms/room-access";
import { findRoomByMatrixId } from "@/lib/rooms/room-list";
import { formatCityTime } from "@/lib/time/berlin-time";
import { PageShell } from "../../_components/page-shell";
import { mayOfferMeetingChange } from "@/lib/invitations/meeting-changes";
import { declinesOf, meetingCancelledAt } from "@/lib/invitations/room-participants";
import { roomInvitationTexts } from "@/lib/invitations/room-page-texts";
import { requestMessages } from "@/lib/i18n/request-locale";
import { CallPanel } from "./_components/call-panel";
import { RoomChat } from "./_components/room-chat";
import { RetentionBox } from "./_components/retention-box";
import { ROOM_ADMIN_LEVEL } from "@/lib/lifecycle/room-retention-actions";
import { PartnerDirectoryProvider } from "./_components/partner-directory";
import { partnerDirectory } from "@/lib/federation/partner-labels";
import { listPartners } from "@/lib/federation/partners";

export const dynamic = "force-dynamic";

export default async function RoomPage({
  params,
  searchParams,
}: {
  params: Promise<{ roomId: string }>;
  searchParams: Promise<{ aufbewahrung?: string }>;
}) {
  const { roomId: raw } = await params;
  const roomId = decodeURIComponent(raw);
  const signedIn = await currentSession();
  if (!signedIn) redirect(`/`);
  const { db, service, config } = portalRuntime();
  const { locale, tag, t } = await requestMessages();

  const room = await findRoomByMatrixId(db, roomId);
  if (!room) notFound();
  const userId = signedIn.matrixUserId;
  let access;
  try {
    // Membership and power come from the homeserver, never from the portal's database.
    access = await requireRoomMember(service, roomId, userId);
  } catch (err) {
    if (isAppError(err) && err.category === "forbidden") forbidden();
    if (isAppError(err) && err.category === "not-found") notFound();
    throw err;
  }

  // The organiser and room admins see who declined and may change the room (bots/invitations carries it out).
  const mayChange = mayOfferMeetingChange(access);
  const declines = mayChange ? await declinesOf(db, room.id) : [];
  const cancelledAt = room.kind === "meeting" ? await meetingCancelledAt(db, room.id) : null;
  const invitationTexts = roomInvitationTexts(locale);

  return (
    <PageShell cityName={config.cityName} path={`/rooms/${encodeURIComponent(roomId)}`}>
      <header>
        <p className="text-sm text-slate-600">
          <a href="/" className="underline">
            {t.common.overview}
          </a>
        </p>
        <h1 className="text-2xl font-bold text-brand-900">{room.name}</h1>
        {room.startsAt && room.endsAt && (
          <p className="text-slate-700">
            {formatCityTime(room.startsAt, tag)} – {formatCityTime(room.endsAt, tag)} ·{" "}
            <a className="text-brand-700 underline" href={`/rooms/${encodeURIComponent(roomId)}/termin.ics`} download>
              {t.room.addToCalendar}
            </a>
          </p>
        )}
        {room.topic && <p className="mt-1 text-slate-700">{room.topic}</p>}
        {cancelledAt && (
          <p className="mt-2 rounded-md border border-red-300 bg-red-50 p-2 text-red-900" data-testid="meeting-cancelled">
            {invitationTexts.cancelled(formatCityTime(cancelledAt, tag))}
          </p>
        )}
        {declines.length > 0 && (
          <p className="mt-2 text-sm text-slate-700" data-testid="room-declines">
            {invitationTexts.declined(declines.map((d) => d.name).join(", "))}
          </p>
        )}
        {mayChange && (
          <p className="mt-2">
            <a className="text-brand-700 underline" href={`/rooms/${encodeURIComponent(roomId)}/bearbeiten`}>
              {invitationTexts.edit}
            </a>
          </p>
        )}
        <p className="mt-2">
          <a className="text-brand-700 underline" href={`/rooms/${encodeURIComponent(roomId)}/partner`}>
            Partnerorganisationen und Mitglieder
          </a>
        </p>
        {access.isModerator && (
          <p className="mt-2">
            <a className="text-brand-700 underline" href={`/rooms/${encodeURIComponent(roomId)}/gaeste`}>
              {t.room.inviteGuests}
            </a>
          </p>
        )}
        {access.powerLevel >= ROOM_ADMIN_LEVEL && <RetentionBox roomId={roomId} tag={tag} t={t.retention} outcome={(await searchParams).aufbewahrung} />}
      </header>
      <div className="grid gap-6 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
        <CallPanel
          roomId={roomId}
          jitsiDomain={config.jitsi.domain}
          authMode={config.jitsi.authMode}
          displayName={signedIn.person.displayName}
          isModerator={access.isModerator}
          roomName={room.name}
          locale={locale}
        />
        <PartnerDirectoryProvider directory={partnerDirectory(await listPartners(db))} ownServerName={config.matrix.serverName}>
          <RoomChat roomId={roomId} userId={access.userId} canModerate={access.isModerator} />
        </PartnerDirectoryProvider>
      </div>
    </PageShell>
  );
}
