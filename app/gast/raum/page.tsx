import type { Metadata } from "next";
import { wasRejected } from "@/lib/guests/guest-admission";
import { guestDisplayName } from "@/lib/guests/guest-names";
import { provisionGuest } from "@/lib/guests/guest-provisioning";
import { guestTexts } from "@/lib/guests/guest-texts";
import { currentGuestSession, guestSessionIdFromCookie, portalGuests } from "@/lib/guests/portal-guests";
import { requestLocale } from "@/lib/i18n/request-locale";
import { localeTag } from "@/lib/i18n/translate";
import { portalRuntime } from "@/lib/portal/runtime";
import { formatCityTime } from "@/lib/time/berlin-time";
import { RoomChat } from "@/app/rooms/[roomId]/_components/room-chat";
import { PageShell } from "../../_components/page-shell";
import { GuestWaiting } from "../_components/guest-waiting";

export const dynamic = "force-dynamic";

export const metadata: Metadata = {
  title: "Gastzugang",
  referrer: "no-referrer",
  robots: { index: false, follow: false },
};

/**
 * The guest's room page: only the one room of the guest's link, found by
 * the guest session cookie (there is no room id in the URL to tamper with).
 * A set-up that failed half-way is completed here.
 */
export default async function GuestRoomPage() {
  const { config } = portalRuntime();
  const locale = (await requestLocale()) === "en" ? "en" : "de";
  const t = guestTexts[locale];
  let session = await currentGuestSession();

  if (session?.guest.status === "admitted" && !session.guest.joinedAt) {
    try {
      const guest = await provisionGuest(portalGuests().deps, session);
      session = { ...session, guest };
    } catch (err) {
      portalGuests().deps.log.warn({ guestId: session.guest.id, err: (err as Error).message }, "guest set-up still incomplete");
    }
  }

  if (!session) {
    const rejected = await wasRejected(portalGuests().deps.db, await guestSessionIdFromCookie());
    return (
      <PageShell cityName={config.cityName} path="/gast/raum">
        <section className="flex flex-col gap-3" data-testid={rejected ? "guest-rejected" : "guest-no-access"}>
          <h1 className="text-2xl font-bold text-brand-900">{t.noAccessTitle}</h1>
          <p className="text-lg text-slate-700">{rejected ? t.rejectedText : t.noAccessText}</p>
        </section>
      </PageShell>
    );
  }

  const { guest, room } = session;
  if (guest.status === "waiting") {
    return (
      <PageShell cityName={config.cityName} path="/gast/raum">
        <section className="flex flex-col gap-3" aria-live="polite" data-testid="guest-waiting">
          <h1 className="text-2xl font-bold text-brand-900">{t.waitingTitle}</h1>
          <p className="text-lg text-slate-700">{room.name}</p>
          <p>{t.waitingText}</p>
          <GuestWaiting />
        </section>
      </PageShell>
    );
  }

  return (
    <PageShell cityName={config.cityName} path="/gast/raum">
      <header className="flex flex-col gap-1">
        <h1 className="text-2xl font-bold text-brand-900" data-testid="guest-room-name">
          {room.name}
        </h1>
        {room.startsAt && room.endsAt && (
          <p className="text-slate-700">
            {formatCityTime(room.startsAt, localeTag(locale))} – {formatCityTime(room.endsAt, localeTag(locale))}
          </p>
        )}
        <p className="text-sm text-slate-600">
          {t.roomGuestNote} <span className="font-medium">{guestDisplayName(guest.displayName)}</span>
        </p>
        {!guest.joinedAt && (
          <p role="alert" className="rounded-md border border-amber-300 bg-amber-50 p-3 text-amber-900">
            {t.errors["setup-incomplete"]}
            {/* Reloads once the guest is in the room (or to repair the set-up), so nobody has to. */}
            <GuestWaiting />
          </p>
        )}
      </header>
      <div className="grid gap-6 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
        <section id="guest-call" aria-label={t.callTitle} data-conference-token-url="/api/guest/conference-token" data-jitsi-mode={config.jitsi.authMode} />
        <div id="guest-chat">
          {room.matrixRoomId && guest.joinedAt ? (
            <RoomChat roomId={room.matrixRoomId} userId={guest.matrixUserId} canModerate={false} sessionUrl="/api/guest/session" />
          ) : (
            <p className="text-slate-600">{t.chatLoading}</p>
          )}
        </div>
      </div>
    </PageShell>
  );
}
